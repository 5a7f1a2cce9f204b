"""The Textual app: the gate (setup / unlock), the desk, and locking between them.

Two screen stacks (Textual modes): "gate" holds the setup or unlock screen,
"desk" the dashboard and whatever was opened from it. Locking saves the open
forms as drafts, drops the whole desk stack, closes the vaults (keys dropped)
and shows the unlock screen; unlocking builds a fresh desk stack. The folder
lock is taken at start and held while the app runs, locked or not.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import ModalScreen, Screen
from textual.widget import AwaitMount
from textual.worker import Worker, WorkerState

from vp_desk.errors import AlreadyRunning, StorageFull, VpDeskError
from vp_desk.i18n import LANGS, default_lang
from vp_desk.services.storage import DataFolder
from vp_desk.textsafe import clean_line, clean_text
from vp_desk.tui import drafts, textual_compat
from vp_desk.tui.commands import DeskCommands
from vp_desk.tui.desk_guard import DeskGuard, DeskLocked
from vp_desk.tui.i18n import pick
from vp_desk.tui.screens.unlock import Unlocked, UnlockScreen
from vp_desk.tui.widgets.case_keys import localise_bindings
from vp_desk.tui.widgets.clipboard import clear_clipboard
from vp_desk.tui.widgets.notify import notify_safe

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

SETTING_LANG = "ui.lang"
SETTING_AUTO_LOCK = "ui.auto_lock_minutes"
#: The organisation chosen last, so a restart opens on it (issue 13).
SETTING_ORG = "ui.current_org"
DEFAULT_AUTO_LOCK_MINUTES = 5

STRINGS = {
    "key.lock": ("Vergrendelen", "Lock"),
    "key.help": ("Hulp", "Help"),
    "key.switch_org": ("Organisatie", "Organisation"),
    "key.cases": ("Casussen", "Cases"),
    "key.activities": ("Activiteiten", "Activities"),
    "key.report": ("Jaarverslag", "Report"),
    "key.settings": ("Instellingen", "Settings"),
    "key.quit": ("Afsluiten", "Quit"),
    "palette": ("Opdrachten", "Commands"),
    # h20-dutchapp: Textual's own texts of the command palette
    "palette_tip": ("Opdrachten zoeken en uitvoeren", "Open the command palette"),
    "palette_search": ("Zoek een opdracht…", "Search for commands…"),
    "theme_search": ("Zoek een kleurenschema…", "Search for themes…"),
    "help_quit_title": ("Wilt u afsluiten?", "Do you want to quit?"),
    "help_quit": ("Druk op [b]{key}[/b] om af te sluiten", "Press [b]{key}[/b] to quit the app"),
    "no_org": (
        "Voeg eerst een organisatie toe: n op het overzicht.",
        "Add an organisation first: n on the overview.",
    ),
    "org_chosen": ("Organisatie: {name}", "Organisation: {name}"),
    # One notice for every background task that fails unexpectedly (on_worker_state_changed).
    "work_failed": (
        "Dit is niet gelukt: {what}. Probeer het opnieuw; 'vp-desk verify' controleert de "
        "gegevensmap.",
        "This did not work: {what}. Try again; 'vp-desk verify' checks the data folder.",
    ),
    "work_failed_database": (
        "een kluisbestand kon niet worden gelezen of geschreven",
        "a vault file could not be read or written",
    ),
    "work_failed_file": (
        "een bestand kon niet worden gelezen of geschreven",
        "a file could not be read or written",
    ),
    "work_failed_full": ("de schijf is vol", "the disk is full"),
    "work_failed_other": ("er trad een onverwachte fout op", "an unexpected error occurred"),
    "recovered": (
        "Het sleutelbestand was beschadigd; de vorige kopie is gebruikt en opnieuw weggeschreven.",
        "The key file was damaged; its previous copy was used and has been rewritten.",
    ),
    "created": (
        "De gegevensmap is aangemaakt. Voeg uw eerste organisatie toe met n.",
        "The data folder was created. Add your first organisation with n.",
    ),
    "draft_failed": ("Dit formulier kon niet worden heropend.", "This form could not be reopened."),
}

#: Actions that open something on the desk: only when unlocked, not from a
#: dialog, and not from a form with unsaved input (a stray key must not lose it).
NAVIGATION = {
    "switch_org",
    "cases",
    "activities",
    "report",
    "settings",
    "retention",
    "audit",
    "import_cases",
    "new_org",
    "dashboard",
    "backup",
    "portfolio",
    # h7-desk: the command line's work in the app
    "change_passphrase",
    "remove_org",
    "handover_export",
    "handover_import",
    "all_reports",
}


class VpDeskApp(App):
    CSS_PATH = "app.tcss"
    TITLE = "vp_desk"
    # The app starts in the gate mode: its first screen is the setup or unlock screen,
    # not an empty default screen left behind by a mode switch in on_mount (which made
    # Textual style everything twice before the first frame; issue 13, start-up). That
    # screen is the mode's default screen (get_default_screen), not a registered mode's
    # factory: Textual re-parses the whole stylesheet for a registered mode's first
    # screen (~10-15 ms before the first frame), not for the default one.
    DEFAULT_MODE = "gate"
    COMMANDS = {DeskCommands}
    # The keys that open things are shown in the dashboard's footer (the hub);
    # elsewhere they work but only F1 and ctrl+l are advertised.
    BINDINGS = [
        Binding("o", "switch_org", "key.switch_org", show=False, id="app.switch_org"),
        Binding("c", "cases", "key.cases", show=False, id="app.cases"),
        Binding("a", "activities", "key.activities", show=False, id="app.activities"),
        Binding("r", "report", "key.report", show=False, id="app.report"),
        Binding("s", "settings", "key.settings", show=False, id="app.settings"),
        Binding("f1", "help", "key.help", id="app.help"),
        Binding("question_mark", "help", "key.help", show=False, id="app.help_alt"),
        Binding("ctrl+l", "lock", "key.lock", priority=True, id="app.lock"),
        Binding("ctrl+q", "quit", "key.quit", show=False, priority=True, id="app.quit"),
    ]

    def __init__(
        self,
        data_dir: Path | None = None,
        lang: str | None = None,
        *,
        auto_lock_seconds: float | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__()
        self.folder = DataFolder(data_dir)
        self.desk = None
        self.cli_lang = lang if lang in LANGS else None
        self.lang: str = self.cli_lang or default_lang()
        self.current_org_id: int | None = None
        #: A fixed "today" (tests, snapshots); None means the real date.
        self.fixed_today = today
        #: Reminders computed after unlock (None: not yet).
        self.reminders: list | None = None
        self.drafts_declined = False
        self.gate_error: BaseException | None = None
        self._auto_lock_fixed = auto_lock_seconds
        self.auto_lock_seconds = (
            auto_lock_seconds if auto_lock_seconds is not None else DEFAULT_AUTO_LOCK_MINUTES * 60.0
        )
        self._last_input = monotonic()
        self._locking = False
        #: Desks of earlier sessions, closing as soon as their workers let go.
        self._retiring: set[DeskGuard] = set()
        self._plain_bindings = textual_compat.bindings(self).copy()
        self.use_command_palette = False  # on only while unlocked
        #: Whether "gate" is a registered mode; the first gate is the default screen.
        self._gate_mode_added = False

    # -- small facts -----------------------------------------------------------------------
    @property
    def current_org_id(self) -> int | None:
        return self._current_org_id

    @current_org_id.setter
    def current_org_id(self, value: int | None) -> None:
        changed = value != getattr(self, "_current_org_id", None)
        self._current_org_id = value
        if changed and value is not None and getattr(self, "_desk", None) is not None:
            try:
                self.unlocked_desk.set_setting(SETTING_ORG, str(value), audit=False)
            except Exception:  # remembering is a convenience; never stop the choice
                pass

    @property
    def desk(self) -> DeskGuard | None:
        """The open desk (a guarded Desk), None while locked."""
        return self._desk

    @desk.setter
    def desk(self, value: Desk | DeskGuard | None) -> None:
        # Whoever sets it, screens only ever see a guarded desk (see desk_guard).
        if value is not None and not isinstance(value, DeskGuard):
            value = DeskGuard(value)
        self._desk = value

    @property
    def unlocked_desk(self) -> DeskGuard:
        """The open desk, typed; raises DeskLocked while locked (a worker's one silent failure)."""
        desk = self._desk
        if desk is None:
            raise DeskLocked()
        return desk

    @property
    def is_locked(self) -> bool:
        """Locked and done locking: the gate is showing."""
        return (
            self.desk is None
            and not self._locking
            and not self._retiring
            and self.current_mode == "gate"
        )

    @property
    def today(self) -> date:
        return self.fixed_today or date.today()

    def auto_lock_minutes(self) -> int:
        stored = self.desk.get_setting(SETTING_AUTO_LOCK) if self.desk is not None else None
        try:
            return int(stored) if stored else DEFAULT_AUTO_LOCK_MINUTES
        except ValueError:
            return DEFAULT_AUTO_LOCK_MINUTES

    def format_title(self, title: str, sub_title: str):
        return super().format_title(clean_line(title), clean_line(sub_title))

    def _localise(self) -> None:
        # From the bindings as declared (plus Textual's "palette"), so a second
        # switch of language finds the table keys again.
        textual_compat.set_bindings(self, self._plain_bindings.copy())
        localise_bindings(self, STRINGS, self.lang)
        found = textual_compat.bindings(self).key_to_bindings
        for key, items in found.items():  # Textual's hover text of the palette key
            found[key] = [
                replace(b, tooltip=pick(STRINGS, "palette_tip", self.lang))
                if b.action == "command_palette"
                else b
                for b in items
            ]

    # -- start and stop --------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return self._first_gate()

    def _first_gate(self) -> Screen:
        """The first screen: setup on a new folder, else unlock (its lock taken first)."""
        if self.folder.is_initialised():
            self.hold_folder_lock()
            return UnlockScreen(error=self.gate_error)
        from vp_desk.tui.screens.setup import SetupScreen

        return SetupScreen()

    async def on_mount(self) -> None:
        self._localise()
        interval = max(0.05, min(1.0, self.auto_lock_seconds / 5))
        self.set_interval(interval, self._check_idle, name="auto-lock")
        # The app is ready once its first screen has mounted its fields, as it was
        # when that screen came from a mode factory (Textual awaits that one).
        await AwaitMount(self.screen, [self.screen])

    def hold_folder_lock(self) -> None:
        """Take (or take back) the single-instance lock; a failure is shown at the gate."""
        try:
            self.folder.acquire_lock()
            self.gate_error = None
        except AlreadyRunning as exc:
            self.gate_error = exc

    def shutdown_desk(self, *, save_drafts: bool) -> None:
        """Close the vaults (keys dropped) and let go of the folder lock."""
        desk, self.desk = self.desk, None
        self.use_command_palette = False
        if desk is not None and save_drafts:
            drafts.save_all(desk, self.screen_stack)
        for guard in [desk, *self._retiring]:
            if guard is not None:
                try:
                    guard.close(timeout=30)
                except Exception:
                    pass
        self._retiring.clear()
        self.folder.lock.release()

    async def action_quit(self) -> None:
        while self._locking:  # let a lock that is under way finish first
            await asyncio.sleep(0.01)
        self.shutdown_desk(save_drafts=True)
        self.exit()

    # -- failures in background work ------------------------------------------------------
    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one path for a worker that fails: a translated notice, a line in the dev log.

        Screens catch the errors they expect (a VpDeskError with its own sentence);
        whatever else escapes a worker ends here. ``DeskLocked`` (a lock came while
        the work ran) is expected and stays silent. Nothing is written to disk, and
        the log line names the error's type only, never its text (it may quote data).
        """
        if event.state != WorkerState.ERROR:
            return
        error = event.worker.error
        if error is None or isinstance(error, DeskLocked):
            return
        self.log.error(f"worker {event.worker.name!r} failed: {type(error).__name__}")
        self.report_failure(error)

    def report_failure(self, error: BaseException) -> None:
        """The translated notice for a failure nobody expected (workers and the rare
        synchronous read); its text names the kind of failure, never the error's text."""
        from vp_desk.services.storage import DatabaseError, is_disk_full

        if is_disk_full(error) or isinstance(error, StorageFull):
            what = "work_failed_full"
        elif isinstance(error, DatabaseError):
            what = "work_failed_database"
        elif isinstance(error, OSError):
            what = "work_failed_file"
        else:
            what = "work_failed_other"
        notify_safe(
            self,
            pick(STRINGS, "work_failed", self.lang, what=pick(STRINGS, what, self.lang)),
            severity="error",
            timeout=10,
        )

    def on_unmount(self) -> None:
        self.shutdown_desk(save_drafts=False)

    # -- unlock ----------------------------------------------------------------------------
    async def on_unlocked(self, message: Unlocked) -> None:
        message.stop()
        if self.desk is not None:  # pragma: no cover - one gate worker at a time
            return
        self.desk = message.desk
        desk = self.unlocked_desk
        self.gate_error = None  # the unlock took the folder lock
        self._apply_settings()
        if desk.recovered_key_file:
            try:
                desk.rewrite_key_file()
            except (OSError, VpDeskError):
                pass
            notify_safe(self, pick(STRINGS, "recovered", self.lang), severity="warning", timeout=15)
        from vp_desk.services.leftovers import permission_warning  # h2-paths

        loose = permission_warning(desk.vault.path, self.lang)
        if loose:
            notify_safe(self, loose, severity="warning", timeout=15)
        self.reminders = None
        self.drafts_declined = False
        self._last_input = monotonic()
        self.use_command_palette = True
        self._forget_missing_org()
        from vp_desk.tui.screens.dashboard import DashboardScreen

        self.add_mode("desk", DashboardScreen)
        await self.switch_mode("desk")
        if not self._gate_mode_added:  # the first gate: the default screen of its mode
            self.add_mode("gate", UnlockScreen)
        await self.remove_mode("gate")
        self._gate_mode_added = False
        if message.created:
            notify_safe(self, pick(STRINGS, "created", self.lang), timeout=10)
        self.offer_drafts()

    def _apply_settings(self) -> None:
        stored = self.unlocked_desk.get_setting(SETTING_LANG)
        lang = stored if stored in LANGS else (self.cli_lang or default_lang())
        if lang != self.lang:
            self.lang = lang
            self._localise()
        if self._auto_lock_fixed is None:
            self.auto_lock_seconds = self.auto_lock_minutes() * 60.0
        remembered = self.unlocked_desk.get_setting(SETTING_ORG)
        if self._current_org_id is None and remembered and remembered.isdigit():
            self._current_org_id = int(remembered)  # checked by _forget_missing_org

    def _forget_missing_org(self) -> None:
        if self.current_org_id is not None and self._org_name(self.current_org_id) is None:
            self.current_org_id = None

    def offer_drafts(self) -> None:
        """Offer the drafts kept at the last lock (once per unlock unless declined)."""
        if self.desk is None or self.drafts_declined:
            return
        try:
            pending = self.desk.drafts()
        except DeskLocked:
            return
        except Exception as exc:  # kept drafts that cannot be read are told, not dropped
            self.report_failure(exc)
            return
        if not pending:
            return
        from vp_desk.tui.dialogs.restore_drafts import RestoreDraftsDialog

        def chosen(result: tuple[str, dict] | None) -> None:
            if result is None:
                return
            draft, payload = result
            try:
                drafts.restore(self, draft, payload)
            except Exception:
                notify_safe(self, pick(STRINGS, "draft_failed", self.lang), severity="error")

        self.push_screen(RestoreDraftsDialog(pending), chosen)

    # -- settings ----------------------------------------------------------------------------
    def set_language(self, lang: str) -> None:
        if lang not in LANGS:
            return
        self.lang = lang
        if self.desk is not None:
            self.desk.set_setting(SETTING_LANG, lang)
        self._localise()
        self.refresh_bindings()

    def set_auto_lock_minutes(self, minutes: int) -> None:
        if self.desk is not None:
            self.desk.set_setting(SETTING_AUTO_LOCK, str(minutes))
        self.auto_lock_seconds = minutes * 60.0

    # -- locking -------------------------------------------------------------------------------
    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and self._letter_while_typing(event):
            # Neither text (no field has the focus) nor a command: dropped.
            self._last_input = monotonic()
            event.stop()
            event.prevent_default()
            return
        if isinstance(event, (events.Key, events.MouseEvent)) and not event.is_forwarded:
            self._last_input = monotonic()
        elif isinstance(event, events.Paste):
            # Inputs and text areas show pasted text as it is, escapes and all.
            self._last_input = monotonic()
            event.text = clean_text(event.text)
        await super().on_event(event)

    def _letter_while_typing(self, event: events.Key) -> bool:
        """A plain letter that would fire a shortcut on a screen where the user types
        prose (a text area is shown) while the focus is not in a field: Report ->
        Texts with the tab bar or a button focused, a form with a list focused."""
        from textual.widgets import Input, TextArea

        if event.is_forwarded or self.desk is None or not event.is_printable:
            return False
        if event.character is None or not event.character.isalpha():
            return False
        try:
            screen = self.screen
            if isinstance(screen.focused, (Input, TextArea)):
                return False
            if event.key not in screen.active_bindings:
                return False
            return any(isinstance(w, TextArea) for w in screen.focus_chain)
        except Exception:
            return False

    async def _check_idle(self) -> None:
        if (
            self.desk is not None
            and not self._locking
            and monotonic() - self._last_input >= self.auto_lock_seconds
        ):
            await self.action_lock()

    async def action_lock(self) -> None:
        """Lock now, from any screen or dialog: keep drafts, drop keys, show the gate."""
        if self.desk is None or self._locking:
            return
        self._locking = True
        try:
            desk, self.desk = self.desk, None
            self.use_command_palette = False
            drafts.save_all(desk, self.screen_stack)
            desk.begin_close()
            self._retiring.add(desk)
            clear_clipboard(self)
            self.clear_notifications()
            self.reminders = None
            self.add_mode("gate", lambda: UnlockScreen(locked=True, error=self.gate_error))
            self._gate_mode_added = True
            await self.switch_mode("gate")
            await self.remove_mode("desk")
            self.refresh_bindings()
        finally:
            self._locking = False
        self.run_worker(self._retire(desk), group="retire", exit_on_error=False)

    async def _retire(self, desk: DeskGuard) -> None:
        """Close a locked desk once no worker is inside it any more."""
        try:
            while not desk.close_if_idle():
                await asyncio.sleep(0.02)
        finally:
            self._retiring.discard(desk)
            # Closing the vault lets go of the folder lock; take it back at once.
            self.hold_folder_lock()

    # -- what is allowed where -----------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in NAVIGATION:
            return self._can_navigate()
        if action == "lock":
            return self.desk is not None
        if action == "command_palette":
            return self.desk is not None and self.use_command_palette
        if action in ("screenshot", "deliver_screenshot"):
            return False
        return True

    def _can_navigate(self) -> bool:
        if self.desk is None or self._locking or self.current_mode != "desk":
            return False
        screen = self.screen
        if isinstance(screen, ModalScreen):
            return False
        if getattr(screen, "draft_keeps_navigation", False):  # h21-drafts: a draft of
            return True  # convenience (a typed file name), not a form being filled in
        return not callable(getattr(screen, "draft_payload", None))

    def action_command_palette(self) -> None:
        if self.desk is not None and self.use_command_palette:
            if not CommandPalette.is_open(self):
                placeholder = pick(STRINGS, "palette_search", self.lang)
                self.push_screen(CommandPalette(placeholder=placeholder, id="--command-palette"))

    def search_themes(self) -> None:
        # Textual's theme list, with its search field in the user's language.
        from textual.theme import ThemeProvider

        placeholder = pick(STRINGS, "theme_search", self.lang)
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=placeholder))

    def action_help_quit(self) -> None:
        # Textual's hint after ctrl+c (which no longer quits), in the user's language.
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                title = pick(STRINGS, "help_quit_title", self.lang)
                notify_safe(self, pick(STRINGS, "help_quit", self.lang, key=key), title=title)
                return

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        # Textual's own list without "Screenshot" (it writes the screen, case
        # text and all, to an unencrypted file) and without anything while locked.
        if self.desk is None:
            return
        for command in super().get_system_commands(screen):
            if "screenshot" not in command.title.lower() and command.title != "Quit":
                yield command

    # No way to save a screenshot: not by key, command or action.
    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        return None

    def deliver_screenshot(self, *args, **kwargs) -> None:
        return None

    def save_screenshot(self, *args, **kwargs) -> str:
        return ""

    # -- going places ----------------------------------------------------------------------------
    def action_help(self) -> None:
        from vp_desk.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        order = {b.action: i for i, b in enumerate(Binding.make_bindings(self.BINDINGS))}
        allowed = sorted(
            (
                (key, binding)
                for key, binding in textual_compat.bindings(self)
                if self.check_action(binding.action, ())
            ),
            key=lambda kb: order.get(kb[1].action, len(order)),
        )
        self.push_screen(HelpScreen(self.screen, allowed))

    def action_dashboard(self) -> None:
        if self._can_navigate():
            self._to_dashboard()

    def _to_dashboard(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def _show(self, screen: Screen) -> None:
        self._to_dashboard()
        self.push_screen(screen)

    def _per_org_screens(self) -> dict[type[Screen], Callable[[int], Screen]]:
        """Screens that belong to one organisation and follow a switch of organisation."""
        from vp_desk.tui.screens.activities import ActivityScreen
        from vp_desk.tui.screens.cases import CaseListScreen
        from vp_desk.tui.screens.import_screen import ImportScreen
        from vp_desk.tui.screens.report import ReportScreen

        today = self.fixed_today
        return {
            CaseListScreen: lambda org_id: CaseListScreen(org_id, today=today),
            ActivityScreen: lambda org_id: ActivityScreen(org_id, today=today),
            ReportScreen: lambda org_id: ReportScreen(org_id, today=today),
            ImportScreen: lambda org_id: ImportScreen(org_id),
        }

    def _open_org_screen(self, cls: type[Screen], org_id: int) -> None:
        screen = self.screen
        if type(screen) is cls and getattr(screen, "org_id", None) == org_id:
            return  # already there
        self._show(self._per_org_screens()[cls](org_id))

    def _open(self, screen: Screen) -> None:
        if type(self.screen) is not type(screen):  # else: already there
            self._show(screen)

    def _with_org(self, then: Callable[[int], None]) -> None:
        """Run ``then(org_id)`` for the current organisation, asking for one if needed."""
        if not self._can_navigate():
            return
        if self.current_org_id is not None and self._org_name(self.current_org_id) is not None:
            then(self.current_org_id)
            return
        orgs = self.unlocked_desk.organisations()
        if not orgs:
            notify_safe(self, pick(STRINGS, "no_org", self.lang), severity="warning")
            return
        if len(orgs) == 1:
            self.current_org_id = orgs[0].id
            then(orgs[0].id)
            return
        from vp_desk.tui.screens.organisations import OrgSwitcher

        def chosen(org_id: int | None) -> None:
            if org_id is not None:
                self.current_org_id = org_id
                then(org_id)

        self.push_screen(OrgSwitcher(None), chosen)

    def _org_name(self, org_id: int) -> str | None:
        try:
            return self.desk.organisation(org_id).name if self.desk is not None else None
        except VpDeskError:
            return None

    def action_cases(self) -> None:
        from vp_desk.tui.screens.cases import CaseListScreen

        self._with_org(lambda org_id: self._open_org_screen(CaseListScreen, org_id))

    def action_activities(self) -> None:
        from vp_desk.tui.screens.activities import ActivityScreen

        self._with_org(lambda org_id: self._open_org_screen(ActivityScreen, org_id))

    def action_report(self) -> None:
        from vp_desk.tui.screens.report import ReportScreen

        self._with_org(lambda org_id: self._open_org_screen(ReportScreen, org_id))

    def action_import_cases(self) -> None:
        from vp_desk.tui.screens.import_screen import ImportScreen

        self._with_org(lambda org_id: self._open_org_screen(ImportScreen, org_id))

    def action_retention(self) -> None:
        from vp_desk.tui.screens.retention import RetentionScreen

        if self._can_navigate():
            self._open(RetentionScreen(today=self.fixed_today))

    def action_audit(self) -> None:
        from vp_desk.tui.screens.audit import AuditScreen

        if self._can_navigate():
            self._open(AuditScreen())

    def action_hours(self) -> None:
        """Hours over a chosen period and the invoice specification (h4-ledger)."""

        def open_dialog(org_id: int) -> None:
            from vp_desk.tui.dialogs.hours import open_hours

            open_hours(self, org_id)

        self._with_org(open_dialog)

    def action_portfolio(self) -> None:
        from vp_desk.tui.screens.report import PortfolioScreen

        if self._can_navigate():
            self._open(PortfolioScreen(today=self.fixed_today))

    def action_backup(self) -> None:
        from vp_desk.tui.dialogs.backup import backup_now

        if self._can_navigate():
            backup_now(self)

    def action_settings(self) -> None:
        if self._can_navigate():
            from vp_desk.tui.screens.settings import SettingsScreen

            self._show(SettingsScreen())

    def action_new_org(self) -> None:
        if self._can_navigate():
            from vp_desk.tui.screens.organisations import OrgFormScreen

            def saved(org_id: int | None) -> None:
                if org_id is not None:
                    self.choose_organisation(org_id)

            self.push_screen(OrgFormScreen(), saved)

    def action_switch_org(self) -> None:
        if self._can_navigate():
            from vp_desk.tui.screens.organisations import OrgSwitcher

            def chosen(org_id: int | None) -> None:
                if org_id is not None:
                    self.choose_organisation(org_id)

            self.push_screen(OrgSwitcher(self.current_org_id), chosen)

    # h7-desk: passphrase, removing an organisation, hand-over (services in desk_tasks)
    def action_change_passphrase(self) -> None:
        if self._can_navigate():
            from vp_desk.tui.dialogs.desk_tasks import change_passphrase

            change_passphrase(self)

    def action_remove_org(self) -> None:
        from vp_desk.tui.dialogs.desk_tasks import remove_organisation

        def removed(org_id: int | None) -> None:
            if org_id is not None:
                self._to_dashboard()
                reload = getattr(self.screen, "reload", None)
                if callable(reload):
                    reload()

        self._with_org(lambda org_id: remove_organisation(self, org_id, removed))

    def action_handover_export(self) -> None:
        from vp_desk.tui.dialogs.desk_tasks import handover_export

        self._with_org(lambda org_id: handover_export(self, org_id))

    def action_all_reports(self) -> None:
        """The portfolio screen with its dialog for every organisation's report."""
        if self._can_navigate():
            from vp_desk.tui.screens.report import PortfolioScreen

            self._open(PortfolioScreen(today=self.fixed_today))
            action = getattr(self.screen, "action_all_reports", None)
            if callable(action):
                action()

    def action_handover_import(self) -> None:
        if self._can_navigate():
            from vp_desk.tui.dialogs.desk_tasks import handover_import

            def imported(org_id: int | None) -> None:
                if org_id is not None:
                    self.current_org_id = org_id
                    reload = getattr(self.screen_stack[0], "reload", None)
                    if callable(reload):
                        reload()

            handover_import(self, imported)

    def choose_organisation(self, org_id: int) -> None:
        """Make ``org_id`` the current organisation; a per-organisation screen follows it."""
        name = self._org_name(org_id)
        if name is None:
            return
        self.current_org_id = org_id
        screen = self.screen
        select = getattr(screen, "select_org", None)
        if callable(select):
            select(org_id)
        elif (
            type(screen) in self._per_org_screens()
            and getattr(screen, "org_id", org_id) != org_id
            and self._can_navigate()
        ):
            self._show(self._per_org_screens()[type(screen)](org_id))
        notify_safe(self, pick(STRINGS, "org_chosen", self.lang, name=name), timeout=3)
