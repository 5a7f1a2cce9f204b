"""Organisations: the switcher (key o) and the add/edit form.

Both are modal dialogs. The form checks through the domain
(``validate_organisation``) and shows each message under its field; an
unsaved form survives a lock as a draft.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from vp_desk.domain.models import (
    DEFAULT_RETENTION_MONTHS,
    DEFAULT_THRESHOLD,
    MAX_NAME,
    MIN_THRESHOLD,
    Organisation,
    OrganisationInput,
)
from vp_desk.errors import ValidationError, VpDeskError
from vp_desk.i18n import error_text, t
from vp_desk.textsafe import clean_line
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.screens.form_base import FormMixin, register_draft_kind
from vp_desk.tui.widgets.field_errors import (
    clear_field_errors,
    labelled,
    show_field_errors,
)
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "switch_title": ("Organisatie kiezen", "Choose an organisation"),
    "filter": ("Typ om te zoeken", "Type to search"),
    "none": (
        "Nog geen organisaties. Druk op ctrl+n om er een toe te voegen.",
        "No organisations yet. Press ctrl+n to add one.",
    ),
    "no_match": ("Geen organisatie met deze naam.", "No organisation with this name."),
    "switch_hint": (
        "Enter kiezen · ctrl+n nieuw · F2 bewerken · Esc sluiten",
        "Enter choose · ctrl+n new · F2 edit · Esc close",
    ),
    "current": ("  (huidige)", "  (current)"),
    "add_title": ("Nieuwe organisatie", "New organisation"),
    "edit_title": ("Organisatie bewerken", "Edit organisation"),
    "name": ("Naam", "Name"),
    "employees": ("Aantal medewerkers", "Number of employees"),
    "threshold": (
        f"Drempel voor kleine aantallen (minstens {MIN_THRESHOLD})",
        f"Threshold for small numbers (at least {MIN_THRESHOLD})",
    ),
    "retention_months": ("Bewaartermijn na sluiten (maanden)", "Retention after closing (months)"),
    "lang": ("Taal van het jaarverslag", "Language of the annual report"),
    "save": ("Opslaan (ctrl+s)", "Save (ctrl+s)"),
    "cancel": ("Annuleren (Esc)", "Cancel (Esc)"),
    "saved": ("Organisatie opgeslagen.", "Organisation saved."),
    "gone": ("Deze organisatie bestaat niet meer.", "This organisation no longer exists."),
    "draft": ("Organisatieformulier", "Organisation form"),
    # h7-desk: the appointment terms (aanstellingsbrief), all optional
    "contract_start": ("Aanstelling: begin (JJJJ-MM-DD)", "Appointment: start (YYYY-MM-DD)"),
    "contract_end": ("Aanstelling: einde (JJJJ-MM-DD)", "Appointment: end (YYYY-MM-DD)"),
    "agreed_hours": ("Afgesproken uren per jaar", "Agreed hours per year"),
    "kind": ("Intern of extern", "Internal or external"),
    "kind_internal": ("intern", "internal"),
    "kind_external": ("extern", "external"),
    # h20-dutchapp: the empty choice (English as Textual's default)
    "kind_none": ("Kies…", "Select"),
}
TERM_FIELDS = ("contract_start", "contract_end", "agreed_hours", "kind")

LANG_NAMES = {"nl": "Nederlands", "en": "English"}
FIELDS = ("name", "employees", "threshold", "retention_months")
#: Parameters of the domain's messages, per field (vp_desk.i18n).
_PARAMS = {
    "name": {"max": MAX_NAME},
    "employees": {"low": 0, "high": 1_000_000},
    "threshold": {"low": MIN_THRESHOLD, "high": 1000},
    "retention_months": {"low": 0, "high": 600},
}
DRAFT_KIND = "organisation_form"


def org_option(org: Organisation, current: int | None, lang: str) -> Option:
    label = safe_line(org.name, limit=80)
    if org.id == current:
        label.append(pick(STRINGS, "current", lang), style="dim")
    return Option(label, id=str(org.id))


class OrgSwitcher(ModalScreen[int | None]):
    """Pick the organisation to work on; dismisses with its id (None: cancelled)."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    AUTO_FOCUS = "#org-filter"
    BINDINGS = [
        Binding("escape", "dismiss_none", show=False),
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("ctrl+n", "new", show=False),
        Binding("f2", "edit", show=False),
    ]

    def __init__(self, current: int | None = None) -> None:
        super().__init__()
        self.current = current
        self.orgs: list[Organisation] = []

    @property
    def lang(self) -> str:
        return self.app.lang

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(pick(STRINGS, "switch_title", self.lang)), classes="dialog-title")
            yield Input(placeholder=pick(STRINGS, "filter", self.lang), id="org-filter")
            yield OptionList(id="org-options")
            yield Static("", id="org-empty", classes="dialog-note")
            yield Static(Text(pick(STRINGS, "switch_hint", self.lang)), classes="dialog-hint")

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        desk = self.app.desk
        self.orgs = desk.organisations() if desk is not None else []
        self._fill(self.query_one("#org-filter", Input).value)

    def _fill(self, needle: str) -> None:
        wanted = clean_line(needle).casefold()
        shown = [o for o in self.orgs if wanted in o.name.casefold()]
        options = self.query_one("#org-options", OptionList)
        options.clear_options()
        options.add_options([org_option(o, self.current, self.lang) for o in shown])
        empty = "" if shown else pick(STRINGS, "none" if not self.orgs else "no_match", self.lang)
        self.query_one("#org-empty", Static).update(Text(empty))
        index = next((i for i, o in enumerate(shown) if o.id == self.current), 0)
        if shown:
            options.highlighted = index

    @on(Input.Changed, "#org-filter")
    def _filter(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def _highlighted_id(self) -> int | None:
        options = self.query_one("#org-options", OptionList)
        if options.highlighted is None or options.option_count == 0:
            return None
        return int(str(options.get_option_at_index(options.highlighted).id))

    def action_move(self, step: int) -> None:
        options = self.query_one("#org-options", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    @on(Input.Submitted, "#org-filter")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        chosen = self._highlighted_id()
        if chosen is not None:
            self.dismiss(chosen)

    @on(OptionList.OptionSelected, "#org-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(int(str(event.option.id)))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)

    def action_new(self) -> None:
        self.app.push_screen(OrgFormScreen(), self._after_form)

    def action_edit(self) -> None:
        chosen = self._highlighted_id()
        if chosen is not None:
            self.app.push_screen(OrgFormScreen(chosen), self._after_form)

    def _after_form(self, org_id: int | None) -> None:
        if org_id is not None:
            self.current = org_id
            self.query_one("#org-filter", Input).value = ""
            self.reload()


class OrgFormScreen(FormMixin, ModalScreen[int | None]):
    """Add (``org_id`` None) or edit an organisation; dismisses with its id."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "organisations.tcss"
    DRAFT_KIND = DRAFT_KIND
    AUTO_FOCUS = "#org-name"
    BINDINGS = [
        Binding("ctrl+s", "save", show=False),
        Binding("escape", "leave", show=False),
    ]

    def __init__(self, org_id: int | None = None, *, values: dict | None = None) -> None:
        super().__init__()
        self.org_id = org_id
        self.start_values = values

    def _stored(self) -> dict[str, str]:
        values = {
            "name": "",
            "employees": "",
            "threshold": str(DEFAULT_THRESHOLD),
            "retention_months": str(DEFAULT_RETENTION_MONTHS),
            "lang": self.lang,
        }
        values.update({k: "" for k in TERM_FIELDS})
        if self.org_id is not None and self.app.desk is not None:
            from vp_desk.services.contracts import get_terms

            terms = get_terms(self.app.desk, self.org_id)
            values.update(
                contract_start=terms.start.isoformat() if terms.start else "",
                contract_end=terms.end.isoformat() if terms.end else "",
                agreed_hours="" if terms.agreed_hours is None else str(terms.agreed_hours),
                kind=terms.kind or "",
            )
            org = self.app.desk.organisation(self.org_id)
            values.update(
                name=org.name,
                employees=str(org.employees),
                threshold=str(org.threshold),
                retention_months=str(org.retention_months),
                lang=org.lang,
            )
        return values

    def compose(self) -> ComposeResult:
        lang = self.lang
        self._initial = self._stored()
        values = dict(self._initial)
        if self.start_values:
            values.update({k: str(v) for k, v in self.start_values.items() if k in values})
        # An Input shows its value as it is, escapes and all: clean it first.
        values = {k: clean_line(v) for k, v in values.items()}
        title = pick(STRINGS, "add_title" if self.org_id is None else "edit_title", lang)
        with Vertical(classes="dialog form-dialog"):
            yield Static(Text(title), classes="dialog-title")
            with VerticalScroll(classes="form-fields"):
                yield labelled(
                    "name",
                    pick(STRINGS, "name", lang),
                    Input(values["name"], id="org-name", max_length=MAX_NAME, compact=True),
                )
                yield labelled(
                    "employees",
                    pick(STRINGS, "employees", lang),
                    Input(values["employees"], id="org-employees", type="integer", compact=True),
                )
                yield labelled(
                    "threshold",
                    pick(STRINGS, "threshold", lang),
                    Input(values["threshold"], id="org-threshold", type="integer", compact=True),
                )
                yield labelled(
                    "retention_months",
                    pick(STRINGS, "retention_months", lang),
                    Input(
                        values["retention_months"], id="org-retention", type="integer", compact=True
                    ),
                )
                yield labelled(
                    "lang",
                    pick(STRINGS, "lang", lang),
                    Select(
                        [(Text(n), c) for c, n in LANG_NAMES.items()],
                        value=values["lang"],
                        allow_blank=False,
                        id="org-lang",
                        compact=True,
                    ),
                )
                for field in ("contract_start", "contract_end", "agreed_hours"):
                    yield labelled(
                        field,
                        pick(STRINGS, field, lang),
                        Input(values[field], id=f"org-{field}", compact=True, max_length=10),
                    )
                yield labelled(
                    "kind",
                    pick(STRINGS, "kind", lang),
                    Select(
                        [
                            (Text(pick(STRINGS, f"kind_{k}", lang)), k)
                            for k in ("internal", "external")
                        ],
                        value=values["kind"] or Select.NULL,
                        prompt=pick(STRINGS, "kind_none", lang),
                        id="org-kind",
                        compact=True,
                    ),
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(pick(STRINGS, "cancel", lang)), id="org-cancel")
                yield Button(Text(pick(STRINGS, "save", lang)), id="org-save", variant="primary")

    # -- the form's state (FormMixin) ----------------------------------------------------
    def state(self) -> dict[str, str]:
        get = lambda wid: self.query_one(wid, Input).value  # noqa: E731
        return {
            "name": get("#org-name"),
            "employees": get("#org-employees"),
            "threshold": get("#org-threshold"),
            "retention_months": get("#org-retention"),
            "lang": str(self.query_one("#org-lang", Select).value),
            **{f: get(f"#org-{f}") for f in ("contract_start", "contract_end", "agreed_hours")},
            "kind": ""
            if (k := self.query_one("#org-kind", Select).value) == Select.NULL
            else str(k),
        }

    def draft_identity(self) -> dict:
        return {"org_id": self.org_id, "title": self.state()["name"]}

    # -- actions -------------------------------------------------------------------------
    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#org-save")
    def _save_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_save()

    @on(Button.Pressed, "#org-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_leave()

    def action_save(self) -> None:
        desk = self.app.desk
        if desk is None:
            return
        values = self.state()
        data = OrganisationInput(
            values["name"],
            employees=values["employees"],
            threshold=values["threshold"],
            retention_months=values["retention_months"],
            lang=values["lang"],
        )
        from vp_desk.services import contracts

        terms = {
            "start": values["contract_start"],
            "end": values["contract_end"],
            "agreed_hours": values["agreed_hours"],
            "kind": values["kind"] or None,
        }
        try:
            contracts.validate_terms(**terms)  # before anything is saved
            if self.org_id is None:
                org = desk.add_organisation(data)
            else:
                org = desk.update_organisation(self.org_id, data)
            keys = ("contract_start", "contract_end", "agreed_hours", "kind")
            if [values[k] for k in keys] != [self._initial.get(k, "") for k in keys]:
                contracts.set_terms(desk, org.id, **terms)
        except ValidationError as exc:
            self.show_errors(exc)
            return
        except VpDeskError as exc:
            notify_safe(self, error_text(exc, self.lang), severity="error")
            return
        clear_field_errors(self)
        notify_safe(self, pick(STRINGS, "saved", self.lang))
        self.mark_clean()
        self.dismiss(org.id)

    def show_errors(self, exc: ValidationError) -> None:
        # Worded here with each field's own limits (the shared wording knows
        # only the case fields); a worded message passes vp_desk.i18n.t unchanged.
        worded = {
            name: t(code, self.lang, **_PARAMS.get(name, {}))
            for name, code in exc.field_errors.items()
        }
        for text in show_field_errors(self, worded, self.lang):
            notify_safe(self, text, severity="error")


def _restore_form(app, payload: dict) -> None:
    org_id = payload.get("org_id")
    if org_id is not None and app.desk is not None:
        try:
            app.desk.organisation(int(org_id))
        except VpDeskError:
            notify_safe(app, pick(STRINGS, "gone", app.lang), severity="warning")
            return
    values = payload.get("fields") if isinstance(payload.get("fields"), dict) else {}
    app.push_screen(OrgFormScreen(org_id, values=values))


register_draft_kind(DRAFT_KIND, _restore_form, STRINGS["draft"])
