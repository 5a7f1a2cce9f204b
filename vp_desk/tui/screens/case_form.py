"""Logging or editing a case: every field of a case (docs/architecture.md), saved with ctrl+s.

The optional repeat-subject name never leaves this form except as the keyed
hash ``Desk.set_subject`` stores: it is not in the form's state, not in a
draft, and the field is cleared once saved.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Checkbox, Footer, Input, Label, Select, SelectionList, TextArea

from vp_desk import vocabulary as voc
from vp_desk.domain import models
from vp_desk.domain.models import Case, CaseInput, ConsultationInput
from vp_desk.errors import ValidationError, VpDeskError
from vp_desk.i18n import error_text
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.form_base import FormMixin, focus_selected, register_draft_kind
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.field_errors import labelled
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

DRAFT_KIND = "case_form"
#: Setting (index vault) that switches the repeat-subject field on: "on" / "off".
SUBJECT_SETTING = "cases.repeat_subject"

STRINGS = {
    "new_title": ("Nieuwe casus", "New case"),
    "edit_title": ("Casus {code} bewerken", "Edit case {code}"),
    "opened": ("Datum eerste contact", "Opened"),
    "closed": ("Sluitdatum (leeg = open)", "Closed on (empty = open)"),
    "follow_up": ("Volgende vervolgafspraak", "Next follow-up"),
    "primary": ("Hoofdgedrag", "Primary behaviour"),
    "notes": ("Notities", "Notes"),
    "subject": ("Over wie gaat het? (optioneel)", "Who is it about? (optional)"),
    "subject_hint": ("alleen als vingerafdruk bewaard", "kept only as a keyed hash"),
    "subject_set": ("Er is al een naam gekoppeld.", "A name is already linked."),
    "subject_clear": ("Koppeling verwijderen", "Remove the link"),
    "date_hint": ("JJJJ-MM-DD", "YYYY-MM-DD"),
    "first_minutes": (
        "Duur eerste gesprek (minuten)",
        "First conversation (minutes)",
    ),
    "first_hint": ("leeg = geen contactmoment", "empty = no contact moment"),
    "choose": ("Kies…", "Choose…"),
    "none": ("(geen)", "(none)"),
    "save": ("Opslaan", "Save"),
    "cancel": ("Terug", "Back"),
    "saved": ("Casus {code} opgeslagen.", "Case {code} saved."),
}

SINGLE = ("channel", "contact_role", "relation", "outcome")
MULTI = ("behaviours", "help", "referrals")
MULTI_DIMENSION = {"behaviours": "behaviour", "help": "help", "referrals": "referrals"}
DATES = ("opened", "closed", "follow_up")


def _blank_state(today: date) -> dict[str, Any]:
    return {
        "opened": today.isoformat(),
        "closed": "",
        "follow_up": "",
        "channel": None,
        "contact_role": None,
        "relation": None,
        "outcome": None,
        "behaviours": [],
        "primary_behaviour": None,
        "help": [],
        "referrals": [],
        "notes": "",
    }


def _case_state(case: Case) -> dict[str, Any]:
    def iso(d: date | None) -> str:
        return d.isoformat() if d else ""

    return {
        "opened": iso(case.opened),
        "closed": iso(case.closed),
        "follow_up": iso(case.follow_up),
        "channel": case.channel,
        "contact_role": case.contact_role,
        "relation": case.relation,
        "outcome": case.outcome,
        "behaviours": sorted(case.behaviours),
        "primary_behaviour": case.primary_behaviour,
        "help": sorted(case.help),
        "referrals": sorted(case.referrals),
        "notes": case.notes,
    }


class CaseFormScreen(FormMixin, Screen[int | None]):
    """New case (``case_id`` None) or edit; dismisses with the case id once saved."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "case_form.tcss"

    DRAFT_KIND = DRAFT_KIND
    BINDINGS = [
        Binding("ctrl+s", "save", "save", id="case_form.save", priority=True),
        Binding("escape", "leave", "cancel", id="case_form.cancel"),
    ]

    def __init__(
        self,
        org_id: int,
        case_id: int | None = None,
        draft: dict | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.org_id = org_id
        self.case_id = case_id
        self.draft = draft
        self.today = today or models.today()
        self.case: Case | None = None
        self._initial: dict[str, Any] = {}
        self._subject_linked = False

    # -- building --------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        lang = self.lang
        desk = self.app.unlocked_desk
        if self.case_id is not None:
            self.case = desk.get_case(self.org_id, self.case_id)
            self._subject_linked = desk.has_subject(self.org_id, self.case_id)
        title = (
            pick(STRINGS, "edit_title", lang, code=self.case.code)
            if self.case
            else pick(STRINGS, "new_title", lang)
        )
        yield Label(Text(title), id="case-form-title")
        with VerticalScroll(id="case-form", can_focus=False):  # its fields scroll it
            with Horizontal(id="case-form-columns"):
                with Vertical(classes="column"):
                    for name in DATES:
                        yield labelled(
                            name,
                            pick(STRINGS, name, lang),
                            Input(
                                id=name, compact=True, placeholder=pick(STRINGS, "date_hint", lang)
                            ),
                        )
                    if self.case_id is None:  # the first contact moment, with the case
                        yield labelled(
                            "first_minutes",
                            pick(STRINGS, "first_minutes", lang),
                            Input(
                                id="first_minutes",
                                type="integer",
                                compact=True,
                                placeholder=pick(STRINGS, "first_hint", lang),
                            ),
                        )
                    for name in SINGLE:
                        yield labelled(
                            name, voc.DIMENSION_TITLES[name].label(lang), self._select(name)
                        )
                    if self._subject_enabled():
                        yield from self._subject_fields()
                with Vertical(classes="column"):
                    yield self._selection_list("behaviours")
                    yield labelled(
                        "primary_behaviour",
                        pick(STRINGS, "primary", lang),
                        Select(
                            [],
                            id="primary_behaviour",
                            compact=True,
                            prompt=pick(STRINGS, "choose", lang),
                        ),
                    )
                    yield self._selection_list("help")
                with Vertical(classes="column"):
                    yield self._selection_list("referrals")
                    yield labelled(
                        "notes",
                        pick(STRINGS, "notes", lang),
                        TextArea(id="notes", soft_wrap=True, tab_behavior="focus"),
                    )
        yield Footer()

    def _selection_list(self, name: str):
        dimension = MULTI_DIMENSION[name]
        options = [
            (Text(t.label(self.lang)), code) for code, t in voc.DIMENSIONS[dimension].items()
        ]
        return labelled(
            name,
            voc.DIMENSION_TITLES[dimension].label(self.lang),
            SelectionList[str](*options, id=name),
        )

    def _select(self, name: str) -> Select:
        options = [(Text(t.label(self.lang)), code) for code, t in voc.DIMENSIONS[name].items()]
        return Select(options, id=name, compact=True, prompt=pick(STRINGS, "none", self.lang))

    def _subject_enabled(self) -> bool:
        return (
            self._subject_linked
            or self.app.unlocked_desk.get_setting(SUBJECT_SETTING, "off") == "on"
        )

    def _subject_fields(self) -> ComposeResult:
        lang = self.lang
        yield labelled(
            "subject",
            pick(STRINGS, "subject", lang),
            Input(id="subject", compact=True, placeholder=pick(STRINGS, "subject_hint", lang)),
        )
        if self._subject_linked:
            yield Label(Text(pick(STRINGS, "subject_set", lang)), id="subject-status")
            yield Checkbox(pick(STRINGS, "subject_clear", lang), id="subject-clear", compact=True)

    def on_mount(self) -> None:
        localise_bindings(self, STRINGS, self.lang)
        self.set_state(_case_state(self.case) if self.case else _blank_state(self.today))
        self._initial = self.state()
        if self.draft:
            self.set_state({**self._initial, **self.draft.get("fields", {})})
        focus_selected(self.query_one("#opened", Input))

    # -- state -----------------------------------------------------------------------------
    def state(self) -> dict[str, Any]:
        """What the form holds now (never the repeat-subject name)."""
        values: dict[str, Any] = {}
        for name in DATES:
            values[name] = self.query_one(f"#{name}", Input).value.strip()
        for name in SINGLE + ("primary_behaviour",):
            value = self.query_one(f"#{name}", Select).value
            values[name] = None if value == Select.NULL else value
        for name in MULTI:
            values[name] = sorted(self.query_one(f"#{name}", SelectionList).selected)
        values["notes"] = self.query_one("#notes", TextArea).text
        for field in self.query("#first_minutes").results(Input):
            values["first_minutes"] = field.value.strip()
        return values

    def set_state(self, values: dict[str, Any]) -> None:
        for name in DATES:
            self.query_one(f"#{name}", Input).value = values.get(name) or ""
        for name in SINGLE:
            self._set_select(name, values.get(name))
        for name in MULTI:
            widget = self.query_one(f"#{name}", SelectionList)
            widget.deselect_all()
            for code in values.get(name) or []:
                if code in voc.DIMENSIONS[MULTI_DIMENSION[name]]:
                    widget.select(code)
        self._update_primary_options(values.get("primary_behaviour"))
        self.load_notes(values.get("notes"))
        for field in self.query("#first_minutes").results(Input):
            field.value = values.get("first_minutes") or ""

    def _set_select(self, name: str, value: Any) -> None:
        widget = self.query_one(f"#{name}", Select)
        widget.value = value if value is not None else Select.NULL

    def _update_primary_options(self, keep: str | None) -> None:
        """The primary behaviour is one of the ticked behaviours."""
        chosen = self.query_one("#behaviours", SelectionList).selected
        primary = self.query_one("#primary_behaviour", Select)
        ordered = [c for c in voc.BEHAVIOURS if c in chosen]
        primary.set_options([(Text(voc.label("behaviour", c, self.lang)), c) for c in ordered])
        if keep in ordered:
            primary.value = keep
        elif ordered:
            primary.value = ordered[0]

    @on(SelectionList.SelectedChanged, "#behaviours")
    def _behaviours_changed(self) -> None:
        current = self.query_one("#primary_behaviour", Select).value
        self._update_primary_options(None if current == Select.NULL else str(current))

    def is_dirty(self) -> bool:
        typed_name = any(field.value.strip() for field in self.query("#subject").results(Input))
        return typed_name or super().is_dirty()

    def draft_identity(self) -> dict[str, Any]:
        title = self.case.code if self.case else pick(STRINGS, "new_title", self.lang)
        return {"org_id": self.org_id, "case_id": self.case_id, "title": title}

    def forget_secrets(self) -> None:
        for field in self.query("#subject").results(Input):
            field.value = ""

    # -- saving ----------------------------------------------------------------------------
    def action_save(self) -> None:
        values = self.state()
        data = CaseInput(
            opened=values["opened"],
            closed=values["closed"],
            follow_up=values["follow_up"],
            channel=values["channel"],
            contact_role=values["contact_role"],
            relation=values["relation"],
            outcome=values["outcome"],
            behaviours=values["behaviours"],
            primary_behaviour=values["primary_behaviour"],
            help=values["help"],
            referrals=values["referrals"],
            notes=values["notes"],
        )
        desk = self.app.unlocked_desk
        first = values.get("first_minutes")
        try:
            if self.case_id is None:
                contact = (
                    ConsultationInput(values["opened"], first, values["channel"], "")
                    if first
                    else None
                )
                try:
                    case = desk.create_case(self.org_id, data, first_contact=contact)
                except ValidationError as exc:  # the contact's minutes belong to this field
                    errors = dict(exc.field_errors)
                    if "minutes" in errors:
                        errors["first_minutes"] = errors.pop("minutes")
                    raise ValidationError(errors) from None
            else:
                case = desk.update_case(self.org_id, self.case_id, data)
        except ValidationError as exc:
            self.show_errors(exc)
            return
        except VpDeskError as exc:
            notify_safe(self, Text(error_text(exc, self.lang)), severity="error")
            return
        self.case_id = case.id
        self._save_subject(case.id)
        self.mark_clean()
        notify_safe(self, safe_line(pick(STRINGS, "saved", self.lang, code=case.code)))
        self.dismiss(case.id)

    def _save_subject(self, case_id: int) -> None:
        fields = self.query("#subject").results(Input)
        name = "".join(field.value for field in fields)
        self.forget_secrets()
        clear = self.query("#subject-clear")
        if name.strip():
            self.app.unlocked_desk.set_subject(self.org_id, case_id, name)
        elif clear and clear.first(Checkbox).value:
            self.app.unlocked_desk.set_subject(self.org_id, case_id, None)


def restore_draft(app, payload: dict) -> None:
    """Reopen an unsaved case form kept over a lock (registered with the shell's drafts)."""
    app.push_screen(CaseFormScreen(int(payload["org_id"]), payload.get("case_id"), draft=payload))


register_draft_kind(DRAFT_KIND, restore_draft, ("Casusformulier", "Case form"))
