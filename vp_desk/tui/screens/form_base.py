"""What the case, contact-moment and activity forms share.

A form knows its ``state()`` (a JSON-able dict), remembers the state it was
opened with, asks before throwing changes away, shows validation messages
next to their fields, and can hand its unsaved state to the shell's drafts on
a lock (``draft_payload``, TUI contract).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, Select, TextArea

from vp_desk import vocabulary as voc
from vp_desk.domain import models
from vp_desk.domain.models import MAX_NOTES
from vp_desk.errors import ValidationError, VpDeskError
from vp_desk.i18n import error_text
from vp_desk.textsafe import clean_text
from vp_desk.tui import drafts
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.field_errors import labelled, show_field_errors
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "not_saved": (
        "Niet opgeslagen: controleer de gemarkeerde velden.",
        "Not saved: check the marked fields.",
    ),
    "discard": (
        "Er zijn niet-opgeslagen wijzigingen. Weggooien?",
        "There are unsaved changes. Discard them?",
    ),
}


if TYPE_CHECKING:
    # To a type checker the mixin is the screen it is mixed into.
    _MixedInto = Screen[Any]
else:
    _MixedInto = object


class FormMixin(_MixedInto):
    """Mixed into a ``Screen``/``ModalScreen`` that defines ``state()`` and ``DRAFT_KIND``."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    DRAFT_KIND = ""
    MAX_NOTES = MAX_NOTES
    _initial: dict[str, Any]

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    def state(self) -> dict[str, Any]:  # pragma: no cover - every form defines it
        raise NotImplementedError

    def draft_identity(self) -> dict[str, Any]:
        """What a restorer needs besides the fields (org, case, record ids)."""
        return {}

    def load_notes(self, text: str | None) -> None:
        """Stored notes into the editor, cleaned again: TextArea draws control characters
        as they are, so an escape sequence from an older vault would reach the terminal."""
        self.query_one("#notes", TextArea).load_text(clean_text(text or ""))

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        clean_editor(event.text_area)

    def on_input_changed(self, event: Input.Changed) -> None:
        clean_input(event.input)

    def mark_clean(self) -> None:
        self._initial = self.state()

    def is_dirty(self) -> bool:
        return self.state() != self._initial

    def draft_payload(self) -> dict | None:
        """The unsaved form for a lock (TUI contract); None when nothing changed."""
        if not self.is_attached or self.state() == self._initial:
            return None
        return {"kind": self.DRAFT_KIND, **self.draft_identity(), "fields": self.state()}

    def show_errors(self, exc: ValidationError) -> None:
        for text in show_field_errors(self, exc.field_errors, self.lang, max_notes=self.MAX_NOTES):
            notify_safe(self, Text(text), severity="error")
        notify_safe(self, Text(pick(STRINGS, "not_saved", self.lang)), severity="error")

    def forget_secrets(self) -> None:
        """Clear inputs that must never outlive the form (the repeat-subject name)."""

    def action_leave(self) -> None:
        if not self.is_dirty():
            self.forget_secrets()
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.forget_secrets()
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(pick(STRINGS, "discard", self.lang), lang=self.lang, danger=True),
            answered,
        )


def focus_selected(field: Input) -> None:
    """Focus a prefilled field with its whole value selected, so typing replaces it
    (``2026-11-12`` instead of ``2026-11-292026-11-12``). Input selects on a focus
    by Tab, but not when the form focuses it while it opens."""
    field.focus()
    field.call_after_refresh(field.select_all)


def clean_editor(area: TextArea) -> None:
    """Strip control characters pasted or typed into an editor (they would reach the
    terminal as they are); only rewrites when there was something to strip."""
    cleaned = clean_text(area.text)
    if cleaned != area.text:
        area.load_text(cleaned)
        area.move_cursor(area.document.end)


def clean_input(field: Input) -> None:
    cleaned = clean_text(field.value, multiline=False)
    if cleaned != field.value:
        field.value = cleaned


def register_draft_kind(
    kind: str, restorer: Callable[[Any, dict], None], label: tuple[str, str]
) -> None:
    """Tell the shell's drafts module how to reopen ``kind``; ``label`` is (nl, en)."""
    drafts.register_restorer(kind, restorer, label=label)


class RecordForm(FormMixin, ModalScreen[bool]):
    """A small record in a dialog: date, minutes, one code of a vocabulary dimension, notes.

    Subclasses name the code field (``CHOICE``, also its vocabulary dimension
    through ``DIMENSION``), give their strings (keys date, minutes, notes,
    ``CHOICE``, choose, save, cancel) and say how to store (``store``).
    Dismisses with True once saved.
    """

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "form_base.tcss"
    CHOICE = ""
    DIMENSION = ""
    STRINGS: dict[str, tuple[str, str]] = {}
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="record_form.save", priority=True),
        Binding("escape", "leave", "cancel", id="record_form.cancel"),
    ]

    def __init__(
        self,
        org_id: int,
        record: Any = None,
        *,
        draft: dict | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.org_id = org_id
        self.record = record
        self.draft = draft
        self.today = today or models.today()
        self._initial: dict[str, Any] = {}

    def heading(self) -> str:  # pragma: no cover - every form defines it
        raise NotImplementedError

    def store(self, values: dict[str, Any]) -> None:  # pragma: no cover
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        lang = self.lang
        strings = self.STRINGS
        choices = [(Text(t.label(lang)), c) for c, t in voc.DIMENSIONS[self.DIMENSION].items()]
        with Vertical(id="dialog"):
            yield Label(Text(self.heading()), classes="dialog-title")
            with Horizontal(id="dialog-row"):
                yield labelled("date", pick(strings, "date", lang), Input(id="date", compact=True))
                yield labelled(
                    "minutes",
                    pick(strings, "minutes", lang),
                    Input(id="minutes", compact=True, type="integer"),
                )
            yield labelled(
                self.CHOICE,
                pick(strings, self.CHOICE, lang),
                Select(choices, id=self.CHOICE, compact=True, prompt=pick(strings, "choose", lang)),
            )
            yield labelled(
                "notes",
                pick(strings, "notes", lang),
                TextArea(id="notes", soft_wrap=True, tab_behavior="focus"),
            )
        yield Footer()

    def on_mount(self) -> None:
        localise_bindings(self, self.STRINGS, self.lang)
        r = self.record
        self.set_state(
            {
                "date": (r.date if r else self.today).isoformat(),
                "minutes": str(r.minutes) if r else "",
                self.CHOICE: getattr(r, self.CHOICE) if r else None,
                "notes": r.notes if r else "",
            }
        )
        self.mark_clean()
        if self.draft:
            self.set_state({**self._initial, **self.draft.get("fields", {})})
        focus_selected(self.query_one("#date", Input))

    def state(self) -> dict[str, Any]:
        choice = self.query_one(f"#{self.CHOICE}", Select).value
        return {
            "date": self.query_one("#date", Input).value.strip(),
            "minutes": self.query_one("#minutes", Input).value.strip(),
            self.CHOICE: None if choice == Select.NULL else choice,
            "notes": self.query_one("#notes", TextArea).text,
        }

    def set_state(self, values: dict[str, Any]) -> None:
        self.query_one("#date", Input).value = values.get("date") or ""
        self.query_one("#minutes", Input).value = values.get("minutes") or ""
        choice = values.get(self.CHOICE)
        self.query_one(f"#{self.CHOICE}", Select).value = choice if choice else Select.NULL
        self.load_notes(values.get("notes"))

    def action_save(self) -> None:
        try:
            self.store(self.state())
        except ValidationError as exc:
            self.show_errors(exc)
            return
        except VpDeskError as exc:
            notify_safe(self, Text(error_text(exc, self.lang)), severity="error")
            return
        self.mark_clean()
        self.dismiss(True)
