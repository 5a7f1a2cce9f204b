"""The report screen's Texts tab: signals and recommendations.

Checked for personal data as the adviser types (kind and line only, never the
text found); saved in a thread worker (ctrl+s on the screen, or the button);
"Confirm text" lets a text with findings go out as it is. After a save the tab
posts :class:`TextsTab.Stored` so the screen can reload the report.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Static, TextArea

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text, lookup
from vp_desk.reports import pii
from vp_desk.services import reporting
from vp_desk.tui.screens.report_context import ReportContext, ReportTab
from vp_desk.tui.screens.report_strings import STRINGS
from vp_desk.tui.widgets.notify import notify_safe

__all__ = ["STRINGS", "TextsTab"]  # STRINGS: the texts ``self._s`` looks up (tests/test_i18n.py)

SECTIONS = ("signals", "recommendations")


class TextsTab(ReportTab, VerticalScroll):
    """The two free texts of the report, their personal-data check and their save."""

    @dataclass
    class Saved(Message):
        """The save worker's result (handled by the tab itself)."""

        texts: reporting.ReportTexts | None
        confirmed: bool
        error: str | None

    @dataclass
    class Stored(Message):
        """The texts are in the vault (for the screen: reload the report)."""

        texts: reporting.ReportTexts
        confirmed: bool

    def __init__(
        self,
        context: ReportContext,
        *,
        draft: dict | None = None,
        id: str | None = "report-texts",
    ) -> None:
        # Not a focus stop: one Tab from the tab bar lands in the first text.
        super().__init__(context, id=id, can_focus=False)
        #: The texts as last loaded or saved (``None`` before the first load).
        self.saved: reporting.ReportTexts | None = None
        self._draft = draft

    def compose(self) -> ComposeResult:
        s = self._s
        yield Static(Text(s("signals_help")), classes="report-note")
        yield TextArea(id="signals", language=None, soft_wrap=True)
        yield Static("", id="signals-pii", classes="pii")
        yield Static(Text(s("recs_help")), classes="report-note")
        yield TextArea(id="recommendations", language=None, soft_wrap=True)
        yield Static("", id="recommendations-pii", classes="pii")
        with Horizontal(id="texts-buttons"):
            yield Button(Text(s("save")), id="texts-save", variant="primary")
            yield Button(Text(s("confirm")), id="texts-confirm", disabled=True)

    def on_mount(self) -> None:
        for area in self.query(TextArea):
            area.cursor_blink = False

    # -- what is typed ------------------------------------------------------------------------
    def current(self) -> tuple[str, str]:
        """(signals, recommendations) as they stand in the text areas."""
        return (
            self.query_one("#signals", TextArea).text,
            self.query_one("#recommendations", TextArea).text,
        )

    def unsaved(self) -> bool:
        if self.saved is None:
            return False
        return self.current() != (self.saved.signals, self.saved.recommendations)

    def fill(self, texts: reporting.ReportTexts) -> None:
        """Show ``texts`` (a year's first load); a draft of this year wins once."""
        self.saved = texts
        signals, recommendations = texts.signals, texts.recommendations
        draft, self._draft = self._draft, None
        if draft and draft.get("year") == self.context.year:
            signals = str(draft.get("signals", signals))
            recommendations = str(draft.get("recommendations", recommendations))
        self.query_one("#signals", TextArea).load_text(signals)
        self.query_one("#recommendations", TextArea).load_text(recommendations)

    @on(TextArea.Changed)
    def _text_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self.show_findings()

    def show_findings(self) -> None:
        """Under each text: the kinds of personal data found and their lines, or none."""
        confirmed = bool(self.saved and self.saved.confirmed and not self.unsaved())
        any_found = False
        for section in SECTIONS:
            text = self.query_one(f"#{section}", TextArea).text
            found = pii.scan(text, section, self.context.threshold)
            any_found = any_found or bool(found)
            target = self.query_one(f"#{section}-pii", Static)
            if not found:
                target.update(Text(self._s("pii_none"), style="dim"))
                target.remove_class("pii-found")
                continue
            items: list[str] = []
            for f in found:
                kind = lookup(pii.KINDS, f.kind, self.lang)
                line = text.count("\n", 0, f.start) + 1
                item = f"{kind} ({self._s('line', n=line)})"
                if item not in items:
                    items.append(item)
            key = "pii_confirmed" if confirmed else "pii_found"
            target.update(Text(self._s(key, items="; ".join(items))))
            target.set_class(not confirmed, "pii-found")
        self.query_one("#texts-confirm", Button).disabled = not any_found or confirmed

    # -- saving -----------------------------------------------------------------------------------
    def save(self, *, confirm: bool = False) -> None:
        """Store the texts as they stand (for the year shown) in a thread worker."""
        signals, recommendations = self.current()
        self._store(self.context.year, signals, recommendations, confirm)

    @on(Button.Pressed, "#texts-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save(confirm=False)

    @on(Button.Pressed, "#texts-confirm")
    def _confirm_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.save(confirm=True)

    @work(thread=True, exit_on_error=False, group="report-save")
    def _store(self, year: int, signals: str, recommendations: str, confirm: bool) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        org_id = self.context.org_id
        try:
            with self.context.lock:
                texts = reporting.save_texts(desk, org_id, year, signals, recommendations)
                if confirm:
                    texts = reporting.confirm_texts(desk, org_id, year)
        except VpDeskError as exc:
            self.post_message(self.Saved(None, confirm, error_text(exc, self.lang)))
            return
        self.post_message(self.Saved(texts, confirm, None))

    @on(Saved)
    def _saved(self, event: Saved) -> None:
        event.stop()
        if event.texts is None:
            notify_safe(self, self._s("failed", error=event.error or ""), severity="error")
            return
        self.saved = event.texts
        notify_safe(self, self._s("confirmed" if event.confirmed else "saved"), timeout=3)
        self.show_findings()
        self.post_message(self.Stored(event.texts, event.confirmed))
