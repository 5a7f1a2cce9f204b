"""Settings: language of the screens, auto-lock, and each organisation's rules.

The language applies at once and is kept in the index vault. The auto-lock
time is kept there too. Threshold and retention belong to an organisation
and are edited with the organisation form.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Input, RadioButton, RadioSet, Static, Switch

from vp_desk.i18n import t
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line
from vp_desk.tui.widgets.header import DeskHeader
from vp_desk.tui.widgets.lang import LocalisedScreen, localise
from vp_desk.tui.widgets.notify import notify_safe

STRINGS = {
    "subtitle": ("Instellingen", "Settings"),
    "language": ("Taal van de schermen", "Language of the screens"),
    "auto_lock": (
        "Automatisch vergrendelen na (minuten zonder toetsaanslag)",
        "Lock automatically after (minutes without a key press)",
    ),
    "auto_lock_hint": (
        "Enter of ctrl+s slaat op. Ctrl+l vergrendelt altijd meteen.",
        "Enter or ctrl+s saves. Ctrl+l always locks at once.",
    ),
    "subject": (
        "Signaal herhaald onderwerp (optioneel): een naam wordt alleen als "
        "versleutelde hash bewaard",
        "Repeat-subject signal (optional): a name is kept only as a keyed hash",
    ),
    "subject_on": ("Het signaal herhaald onderwerp staat aan.", "The repeat-subject signal is on."),
    "subject_off": (
        "Het signaal herhaald onderwerp staat uit.",
        "The repeat-subject signal is off.",
    ),
    "orgs": (
        "Organisaties: drempel en bewaartermijn (Enter of e om te bewerken)",
        "Organisations: threshold and retention (Enter or e to edit)",
    ),
    "col_name": ("Naam", "Name"),
    "col_employees": ("Medewerkers", "Employees"),
    "col_threshold": ("Drempel", "Threshold"),
    "col_retention": ("Bewaartermijn (mnd)", "Retention (months)"),
    "col_lang": ("Taal jaarverslag", "Report language"),
    "saved": ("Instelling opgeslagen.", "Setting saved."),
    "lang_saved": ("De schermen zijn nu in het Nederlands.", "The screens are now in English."),
    "key.save": ("Opslaan", "Save"),
    "key.edit_org": ("Bewerken", "Edit"),
    "key.new_org": ("Nieuw", "New"),
    "key.back": ("Terug", "Back"),
    # h7-desk: the agenda's quiet cases, the passphrase, organisations' hand-over
    "quiet": (
        "Agenda: open casussen zonder contactmoment sinds (weken)",
        "Agenda: open cases without a contact moment for (weeks)",
    ),
    "key.passphrase": ("Wachtzin", "Passphrase"),
    "key.remove_org": ("Wissen", "Remove"),
    "key.handover": ("Overdracht", "Hand-over"),
    "key.import": ("Overdracht importeren", "Import hand-over"),
    "draft_label": ("Instellingen", "Settings"),
}
DRAFT_KIND = "settings"

MIN_AUTO_LOCK, MAX_AUTO_LOCK = 1, 240
#: Same key as the case form reads (vp_desk/tui/screens/case_form.py).
SUBJECT_SETTING = "cases.repeat_subject"
LANG_NAMES = {"nl": "Nederlands", "en": "English"}


class SettingsScreen(drafts.FieldValues, LocalisedScreen):
    STRINGS = STRINGS
    #: The two numbers typed and not yet saved come back after a lock (issue 13);
    #: the language and the switch are stored as soon as they change.
    DRAFT_KIND = DRAFT_KIND
    DRAFT_FIELDS = ("settings-auto-lock", "settings-quiet")
    #: The navigation keys keep working with a number typed (as before drafts).
    draft_keeps_navigation = True
    BINDINGS = [
        Binding("ctrl+s", "save", "key.save", id="settings.save"),
        Binding("e", "edit_org", "key.edit_org", id="settings.edit_org"),
        Binding("n", "new_org", "key.new_org", id="settings.new_org"),
        Binding("escape", "back", "key.back", id="settings.back"),
        Binding("p", "app.change_passphrase", "key.passphrase", id="settings.passphrase"),
        Binding("delete", "remove_org", "key.remove_org", show=False, id="settings.remove"),
        Binding("h", "handover_export", "key.handover", show=False, id="settings.handover"),
        Binding("i", "app.handover_import", "key.import", show=False, id="settings.import"),
    ]

    def compose(self) -> ComposeResult:
        lang = self.lang
        yield DeskHeader(icon="")
        # Scrolls at 80x24, so every setting (the organisations last) can be reached.
        with VerticalScroll(id="settings-body", can_focus=False):
            yield Static(
                Text(pick(STRINGS, "language", lang), style="bold"), classes="settings-label"
            )
            with RadioSet(id="settings-lang"):
                for code, name in LANG_NAMES.items():
                    yield RadioButton(Text(name), value=code == lang, id=f"lang-{code}")
            yield Static(
                Text(pick(STRINGS, "subject", lang), style="bold"), classes="settings-label"
            )
            yield Switch(value=self._subject_on(), id="settings-subject")
            yield Static(
                Text(pick(STRINGS, "auto_lock", lang), style="bold"), classes="settings-label"
            )
            with Horizontal(classes="settings-row"):
                yield Input(
                    str(self.app.auto_lock_minutes()),
                    type="integer",
                    id="settings-auto-lock",
                    max_length=3,
                )
                yield Static("", id="settings-auto-lock-error", classes="field-error-inline")
            yield Static(Text(pick(STRINGS, "auto_lock_hint", lang), style="dim"))
            yield Static(Text(pick(STRINGS, "quiet", lang), style="bold"), classes="settings-label")
            with Horizontal(classes="settings-row"):
                yield Input(
                    str(self._quiet_weeks()), type="integer", id="settings-quiet", max_length=2
                )
                yield Static("", id="settings-quiet-error", classes="field-error-inline")
            yield Static(Text(pick(STRINGS, "orgs", lang), style="bold"), classes="settings-label")
            yield DataTable(id="settings-orgs", cursor_type="row", zebra_stripes=True)
        yield Footer(compact=True, show_command_palette=False)

    def on_mount(self) -> None:
        self._setup()

    @property
    def draft_payload(self):
        """The drafts contract, a callable only while a number is typed and not saved
        (the app keeps navigation keys away from a screen with one)."""
        return self.field_draft if self.field_draft() is not None else None

    def _setup(self) -> None:
        self.sub_title = pick(STRINGS, "subtitle", self.lang)
        table = self.query_one("#settings-orgs", DataTable)
        table.add_column(Text(pick(STRINGS, "col_name", self.lang)), key="name")
        for key in ("employees", "threshold", "retention"):
            table.add_column(Text(pick(STRINGS, f"col_{key}", self.lang), justify="right"), key=key)
        table.add_column(Text(pick(STRINGS, "col_lang", self.lang)), key="lang")
        self.fill_orgs()

    def fill_orgs(self) -> None:
        desk = self.app.desk
        table = self.query_one("#settings-orgs", DataTable)
        table.clear()
        if desk is None:
            return
        current = 0
        for i, org in enumerate(desk.organisations()):
            table.add_row(
                safe_line(org.name, limit=60),
                Text(str(org.employees), justify="right"),
                Text(str(org.threshold), justify="right"),
                Text(str(org.retention_months), justify="right"),
                Text(LANG_NAMES.get(org.lang, org.lang)),
                key=str(org.id),
            )
            if org.id == self.app.current_org_id:
                current = i
        if table.row_count:
            table.move_cursor(row=current)

    # -- language --------------------------------------------------------------------------
    @on(RadioSet.Changed, "#settings-lang")
    async def _language(self, event: RadioSet.Changed) -> None:
        event.stop()
        code = (event.pressed.id or "").removeprefix("lang-")
        if code not in LANG_NAMES or code == self.lang:
            return
        self.app.set_language(code)
        localise(self, STRINGS, code)
        await self.recompose()
        self._setup()
        self.query_one("#settings-lang", RadioSet).focus()
        notify_safe(self, pick(STRINGS, "lang_saved", code))

    # -- repeat-subject signal (optional, off by default: docs/architecture.md) -------------------------
    def _subject_on(self) -> bool:
        desk = self.app.desk
        return desk is not None and desk.get_setting(SUBJECT_SETTING, "off") == "on"

    @on(Switch.Changed, "#settings-subject")
    def _subject_changed(self, event: Switch.Changed) -> None:
        event.stop()
        desk = self.app.desk
        if desk is None or event.value == self._subject_on():
            return
        desk.set_setting(SUBJECT_SETTING, "on" if event.value else "off")
        notify_safe(self, pick(STRINGS, "subject_on" if event.value else "subject_off", self.lang))

    # -- auto-lock -------------------------------------------------------------------------
    @on(Input.Submitted, "#settings-auto-lock")
    def _auto_lock_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _quiet_weeks(self) -> int:
        from vp_desk.services.agenda import quiet_weeks

        return quiet_weeks(self.app.desk) if self.app.desk is not None else 6

    @on(Input.Submitted, "#settings-quiet")
    def _quiet_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def _save_quiet(self) -> bool:
        from vp_desk.services.agenda import MAX_QUIET_WEEKS, MIN_QUIET_WEEKS, QUIET_SETTING

        field = self.query_one("#settings-quiet", Input)
        error = self.query_one("#settings-quiet-error", Static)
        try:
            weeks = int(field.value.strip())
        except ValueError:
            error.update(Text(t("not_a_number", self.lang), style="red"))
            field.focus()
            return False
        if not MIN_QUIET_WEEKS <= weeks <= MAX_QUIET_WEEKS:
            error.update(
                Text(t("range", self.lang, low=MIN_QUIET_WEEKS, high=MAX_QUIET_WEEKS), style="red")
            )
            field.focus()
            return False
        error.update("")
        if self.app.desk is not None and weeks != self._quiet_weeks():
            self.app.desk.set_setting(QUIET_SETTING, str(weeks))
        return True

    def action_remove_org(self) -> None:
        from vp_desk.tui.dialogs.desk_tasks import remove_organisation

        remove_organisation(self.app, self._selected_org(), lambda _id: self.fill_orgs())

    def action_handover_export(self) -> None:
        from vp_desk.tui.dialogs.desk_tasks import handover_export

        handover_export(self.app, self._selected_org())

    def action_save(self) -> None:
        if not self._save_quiet():
            return
        field = self.query_one("#settings-auto-lock", Input)
        error = self.query_one("#settings-auto-lock-error", Static)
        try:
            minutes = int(field.value.strip())
        except ValueError:
            error.update(Text(t("not_a_number", self.lang), style="red"))
            field.focus()
            return
        if not MIN_AUTO_LOCK <= minutes <= MAX_AUTO_LOCK:
            error.update(
                Text(t("range", self.lang, low=MIN_AUTO_LOCK, high=MAX_AUTO_LOCK), style="red")
            )
            field.focus()
            return
        error.update("")
        self.app.set_auto_lock_minutes(minutes)
        self._draft_start = self.draft_values()  # saved: nothing left to keep
        notify_safe(self, pick(STRINGS, "saved", self.lang))

    # -- organisations ---------------------------------------------------------------------
    def _selected_org(self) -> int | None:
        table = self.query_one("#settings-orgs", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        return int(key) if key else None

    @on(DataTable.RowSelected, "#settings-orgs")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_edit_org()

    def action_edit_org(self) -> None:
        from vp_desk.tui.screens.organisations import OrgFormScreen

        org_id = self._selected_org()
        if org_id is not None:
            self.app.push_screen(OrgFormScreen(org_id), self._after_form)

    def action_new_org(self) -> None:
        from vp_desk.tui.screens.organisations import OrgFormScreen

        self.app.push_screen(OrgFormScreen(), self._after_form)

    def _after_form(self, org_id: int | None) -> None:
        if org_id is not None:
            self.app.current_org_id = org_id
        self.fill_orgs()

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 1:
            self.app.pop_screen()


def _restore_draft(app, payload: dict) -> SettingsScreen:
    return SettingsScreen()


drafts.register_restorer(
    DRAFT_KIND, drafts.field_restorer(_restore_draft), label=STRINGS["draft_label"]
)
