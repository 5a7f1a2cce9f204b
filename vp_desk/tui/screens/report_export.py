"""The report screen's Export tab: format, language, file, "final", "withhold".

The export runs in a thread worker; its outcome is said under the button and
in a notice. The Export button (like ctrl+e anywhere on the screen) asks the
screen through :class:`ExportTab.Requested`, because unsaved texts are saved
first; the screen then calls :meth:`ExportTab.start`. A written report posts
:class:`ExportTab.Written` (the ledger changed: the screen reloads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Select, Static

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.reports import pii
from vp_desk.reports.errors import LedgerConflict, TextNeedsReview
from vp_desk.services import reporting
from vp_desk.tui.drafts import field_values, put_field_values
from vp_desk.tui.safe import safe_text
from vp_desk.tui.screens.report_context import ReportContext, ReportTab
from vp_desk.tui.screens.report_strings import FORMAT_LABELS, STRINGS
from vp_desk.tui.widgets.notify import notify_safe

__all__ = ["STRINGS", "ExportTab"]  # STRINGS: the texts ``self._s`` looks up (tests/test_i18n.py)

#: The languages a report can be written in (each named in its own language).
REPORT_LANGS = (("Nederlands", "nl"), ("English", "en"))
#: The choices kept in the report's draft over a lock (issue 13).
EXPORT_FIELDS = ("export-format", "export-lang", "export-path", "export-final", "export-withhold")


class ExportTab(ReportTab, Vertical):
    """Writes the report to a file (and the ledger), or the hours dialog."""

    @dataclass
    class Requested(Message):
        """The Export button: the screen saves unsaved texts, then calls ``start``."""

    @dataclass
    class Exported(Message):
        """The export worker's result (handled by the tab itself)."""

        text: str
        ok: bool

    @dataclass
    class Written(Message):
        """A report was written and recorded (for the screen: reload the report)."""

        text: str

    def __init__(
        self,
        context: ReportContext,
        *,
        draft: dict | None = None,
        id: str | None = "report-export",
    ) -> None:
        super().__init__(context, id=id)
        #: What the last export said (shown under the button).
        self.message = ""
        #: A draft kept over a lock: its "export" choices are put back at the first load.
        self._draft = draft
        #: The choices as the year's report was loaded (a draft keeps what differs).
        self._start: dict | None = None

    def draft(self) -> dict | None:
        """The export choices when they differ from how the year's report opened."""
        if self._start is None:  # not loaded yet: a pending draft stays as it was
            pending = self._draft.get("export") if self._draft else None
            return dict(pending) if isinstance(pending, dict) else None
        values = field_values(self, EXPORT_FIELDS)
        return None if values == self._start else values

    def compose(self) -> ComposeResult:
        s = self._s
        with Horizontal(id="export-row"):
            yield Select(
                [(label, fmt) for label, fmt in FORMAT_LABELS],
                value="pdf",
                allow_blank=False,
                id="export-format",
            )
            yield Select(list(REPORT_LANGS), value="nl", allow_blank=False, id="export-lang")
            yield Input("", id="export-path")
        yield Checkbox(s("final"), id="export-final")
        yield Checkbox(s("withhold"), id="export-withhold")
        yield Button(Text(s("export")), id="export-go", variant="primary")
        yield Static("", id="export-result")
        yield Button(Text(s("hours_button")), id="export-hours")

    # -- what the screen tells the tab --------------------------------------------------------
    def first_load(self, report_lang: str) -> None:
        """A year's report is loaded: its language, and a file name if none is given."""
        # The report goes out in the organisation's language unless changed here.
        self.query_one("#export-lang", Select).value = report_lang
        path = self.query_one("#export-path", Input)
        if not path.value:
            path.value = self._default_path("pdf")
        self._start = field_values(self, EXPORT_FIELDS)
        draft, self._draft = self._draft, None
        kept = draft.get("export") if draft and draft.get("year") == self.context.year else None
        if isinstance(kept, dict):
            put_field_values(self, EXPORT_FIELDS, kept)

    def clear_path(self) -> None:
        """Another year: the file name is made again when its report is loaded."""
        self._start = None
        self.query_one("#export-path", Input).value = ""

    def _default_path(self, fmt: str) -> str:
        preview = self.context.preview
        name = preview.report.organisation if preview else ""
        lang = preview.report.lang if preview else self.lang
        return str(Path.home() / reporting.default_file_name(name, self.context.year, fmt, lang))

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        event.stop()
        path = self.query_one("#export-path", Input)
        fmt = str(self.query_one("#export-format", Select).value)  # as shown now
        if path.value:
            stem = Path(path.value)
            path.value = str(stem.with_suffix("." + fmt))
        elif self.context.preview is not None:  # else filled in when the report is loaded
            path.value = self._default_path(fmt)

    # -- export -----------------------------------------------------------------------------------
    @on(Button.Pressed, "#export-go")
    def _export_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.post_message(self.Requested())

    def start(self) -> None:
        """Export with the choices made (asking before a file is replaced)."""
        path = self.query_one("#export-path", Input).value.strip()
        if not path:
            self.show_result(self._s("no_path"), False)
            return
        fmt = str(self.query_one("#export-format", Select).value)
        args = (
            self.context.year,
            fmt,
            path,
            str(self.query_one("#export-lang", Select).value),
            self.query_one("#export-final", Checkbox).value,
            self.query_one("#export-withhold", Checkbox).value,
        )
        from vp_desk.tui.dialogs.export import confirm_overwrite

        def go(replace: bool) -> None:
            self.show_result(self._s("exporting"), True)
            self._export(*args, force=replace)

        confirm_overwrite(
            self,
            Path(path).expanduser(),
            self.lang,
            go,
            lambda: self.show_result(self._s("not_replaced"), False),
        )

    @on(Button.Pressed, "#export-hours")
    def _hours_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        from vp_desk.tui.dialogs.hours import HoursDialog

        self.app.push_screen(HoursDialog(self.context.org_id, self.lang, today=self.today))

    @work(thread=True, exclusive=True, exit_on_error=False, group="report-export")
    def _export(
        self,
        year: int,
        fmt: str,
        path: str,
        lang: str,
        final: bool,
        withhold: bool,
        force: bool = False,
    ) -> None:
        desk = getattr(self.app, "desk", None)
        if desk is None:
            return
        org_id = self.context.org_id
        try:
            with self.context.lock:
                result = reporting.export(
                    desk,
                    org_id,
                    year,
                    fmt,
                    path,
                    lang=lang,
                    final=final,
                    withhold=withhold,
                    force=force,
                    today=self.today,
                )
        except TextNeedsReview:
            with self.context.lock:
                texts = reporting.get_texts(desk, org_id, year)
            items = "; ".join(pii.summary(texts.findings(self.context.threshold), self.lang))
            self.post_message(self.Exported(self._s("text_refused", items=items), False))
            return
        except LedgerConflict as exc:
            figures = ""
            preview = self.context.preview
            if preview is not None:
                figures = ", ".join(
                    reporting.describe_isolations(preview.report, preview.isolations)[:4]
                )
            self.post_message(
                self.Exported(
                    self._s(
                        "ledger_refused",
                        year=exc.year,
                        date=exc.issued,
                        k=exc.k,
                        figures=figures or ", ".join(exc.figures[:4]),
                    ),
                    False,
                )
            )
            return
        except VpDeskError as exc:
            self.post_message(
                self.Exported(self._s("failed", error=error_text(exc, self.lang)), False)
            )
            return
        except OSError as exc:
            self.post_message(self.Exported(self._s("failed", error=exc.strerror or "I/O"), False))
            return
        except BaseException:
            # Unexpected: the app's notice says what happened; "exporting..." must not stay.
            self.app.call_from_thread(self.show_result, "", False)
            raise
        text = self._s("exported", path=str(result.path))
        if result.withheld:
            text += self._s("withheld_done")
        if result.ledger:
            text += self._s(result.ledger)
        self.post_message(self.Exported(text, True))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        event.stop()
        self.show_result(event.text, event.ok)
        notify_safe(self, event.text, severity="information" if event.ok else "warning", timeout=6)
        if event.ok:
            self.post_message(self.Written(event.text))

    def show_result(self, text: str, ok: bool) -> None:
        """Say ``text`` under the Export button (bold when nothing was written)."""
        self.message = text
        self.query_one("#export-result", Static).update(safe_text(text, "" if ok else "bold"))
