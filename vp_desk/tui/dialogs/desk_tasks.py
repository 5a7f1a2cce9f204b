"""Work that used to exist only on the command line, in the app (the command
line cannot run while the app holds the data folder):

- ``change_passphrase``: the current passphrase asked again, the new one twice
  and checked by the same policy as ``vp-desk passwd``; the rekey runs in a
  worker (``Desk.change_passphrase``) with a progress bar;
- ``remove_organisation``: erase an organisation for good, after its name is
  typed (``vp-desk org remove NAME --shred``);
- ``handover_export``: one organisation's dossiers under a new one-time
  passphrase, shown once in the dialog and never stored or copied
  (``vp-desk handover export``);
- ``handover_import``: a hand-over file and its one-time passphrase
  (``vp-desk handover import``).

User text (organisation names, file names, error sentences) is shown literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, ProgressBar, Static

from vp_desk.errors import VpDeskError, WrongPassphrase
from vp_desk.i18n import error_text
from vp_desk.tui import drafts
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line, safe_text
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.domain.models import Organisation
    from vp_desk.services.all_reports import OrgReport
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "cancel": ("Annuleren (Esc)", "Cancel (Esc)"),
    "busy": ("Bezig…", "Working…"),
    "failed": ("Het lukte niet: {error}", "That did not work: {error}"),
    # passphrase
    "pw_title": ("Wachtzin wijzigen", "Change the passphrase"),
    "pw_explain": (
        "Typ eerst de huidige wachtzin, dan tweemaal de nieuwe (minstens 15 tekens, niet "
        "makkelijk te raden). Oude backups blijven met de oude wachtzin openen.",
        "Type the current passphrase first, then the new one twice (at least 15 characters, "
        "not easy to guess). Older backups still open with the old passphrase.",
    ),
    "pw_old": ("Huidige wachtzin", "Current passphrase"),
    "pw_new": ("Nieuwe wachtzin", "New passphrase"),
    "pw_again": ("Nieuwe wachtzin nogmaals", "New passphrase again"),
    "pw_go": ("Wijzigen", "Change"),
    "pw_wrong": (
        "De huidige wachtzin klopt niet; er is niets gewijzigd.",
        "The current passphrase is not right; nothing was changed.",
    ),
    "pw_differ": (
        "De twee nieuwe wachtzinnen verschillen; er is niets gewijzigd.",
        "The two new passphrases differ; nothing was changed.",
    ),
    "pw_same": (
        "De nieuwe wachtzin is gelijk aan de huidige.",
        "The new passphrase is the same as the current one.",
    ),
    "pw_done": ("De wachtzin is gewijzigd.", "The passphrase was changed."),
    # remove organisation
    "rm_title": ("Organisatie wissen", "Remove an organisation"),
    "rm_explain": (
        "{name} en al haar casussen, contactmomenten en activiteiten worden voorgoed gewist: "
        "de sleutel verdwijnt uit het sleutelbestand en de bestanden worden verwijderd. "
        "Oudere backups kunnen haar nog bevatten. Typ de naam van de organisatie om te "
        "bevestigen.",
        "{name} and all its cases, contact moments and activities are erased for good: the "
        "key leaves the key file and the files are deleted. Older backups may still hold it. "
        "Type the organisation's name to confirm.",
    ),
    "rm_name": ("Naam van de organisatie", "Name of the organisation"),
    "rm_go": ("Voorgoed wissen", "Erase for good"),
    "rm_mismatch": (
        "Dat is niet de naam van deze organisatie; er is niets gewist.",
        "That is not this organisation's name; nothing was erased.",
    ),
    "rm_done": (
        "Organisatie {name} is gewist. Oudere backups kunnen haar nog bevatten.",
        "Organisation {name} was erased. Older backups may still hold it.",
    ),
    # hand-over export
    "ho_title": ("Overdracht: exporteren", "Hand-over: export"),
    "ho_explain": (
        "De dossiers van {name} in één bestand voor een opvolger, versleuteld met een nieuwe "
        "eenmalige wachtzin. Niets van een andere organisatie staat erin.",
        "The dossiers of {name} in one file for a successor, encrypted under a new one-time "
        "passphrase. Nothing of any other organisation is in it.",
    ),
    "ho_path": ("Opslaan als", "Save as"),
    "ho_go": ("Exporteren", "Export"),
    "ho_exists": (
        "Dat bestand bestaat al. Kies een andere naam; er is niets geschreven.",
        "That file already exists. Choose another name; nothing was written.",
    ),
    "ho_done": (
        "Overdrachtsbestand geschreven: {path} ({cases} casus(sen)). Het opent alleen met "
        "deze eenmalige wachtzin. Hij wordt maar één keer getoond en nergens bewaard: geef "
        "hem de opvolger apart van het bestand (bijvoorbeeld telefonisch).",
        "Hand-over file written: {path} ({cases} case(s)). It opens only with this one-time "
        "passphrase. It is shown once and kept nowhere: give it to the successor separately "
        "from the file (for example by phone).",
    ),
    "ho_close": ("Ik heb hem genoteerd", "I have written it down"),
    # hand-over import
    "hi_title": ("Overdracht: importeren", "Hand-over: import"),
    "hi_explain": (
        "Voeg de organisatie uit een overdrachtsbestand toe. U hebt de eenmalige wachtzin "
        "nodig die de vorige vertrouwenspersoon u apart gaf.",
        "Add the organisation in a hand-over file. You need the one-time passphrase the "
        "previous adviser gave you separately.",
    ),
    "hi_path": ("Bestand", "File"),
    "hi_pass": ("Eenmalige wachtzin", "One-time passphrase"),
    "hi_name": (
        "Andere naam (leeg: de naam uit het bestand)",
        "Other name (empty: the name in the file)",
    ),
    "hi_go": ("Importeren", "Import"),
    "hi_missing": ("Dat bestand bestaat niet.", "That file does not exist."),
    "hi_done": (
        "Organisatie {name} toegevoegd met {cases} casus(sen).",
        "Added organisation {name} with {cases} case(s).",
    ),
    "no_path": ("Geef een bestandsnaam.", "Give a file name."),
    "no_pass": ("Typ de eenmalige wachtzin.", "Type the one-time passphrase."),
    # h21-drafts: what the offer after unlock calls each kept dialog
    "rm_draft": ("Organisatie wissen", "Removing an organisation"),
    "ho_draft": ("Overdracht exporteren", "Hand-over export"),
    "hi_draft": ("Overdracht importeren", "Hand-over import"),
}


def safe_file_part(name: str) -> str:
    """An organisation name as part of a file name: letters, digits, - and _ only."""
    text = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")
    return text[:40] or "organisatie"


class _TaskDialog(drafts.FieldDrafts, WorkerFailures, ModalScreen):
    """A dialog with an error line, a progress bar and a worker that reports back.

    Its ``DRAFT_FIELDS`` come back after a lock (``drafts.FieldDrafts``, issue 13);
    a passphrase field is never one of them, and is skipped even if listed.

    Enter in an input moves to the next one; Enter in ``GO_INPUT`` starts the
    task (``_go``). The one ``Input.Submitted`` handler is here: a subclass
    adds none (a base-class handler runs for the subclass too).
    """

    #: The id of the input whose Enter starts the task.
    GO_INPUT = ""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "desk_tasks.tcss"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    class Progress(Message):
        def __init__(self, done: int, total: int) -> None:
            super().__init__()
            self.done, self.total = done, total

    class Finished(Message):
        def __init__(self, result: object, error: str | None, *, unexpected: bool = False) -> None:
            super().__init__()
            self.result, self.error, self.unexpected = result, error, unexpected

    def __init__(self, lang: str) -> None:
        super().__init__()
        self.lang = lang
        self.busy = False

    def t(self, key: str, **params: object) -> str:
        return pick(STRINGS, key, self.lang, **params)

    def buttons(self, go: str) -> ComposeResult:
        yield ProgressBar(id="task-progress", show_eta=False)
        yield Static("", id="task-error", classes="task-error")
        with Horizontal(classes="dialog-buttons"):
            yield Button(Text(self.t("cancel")), id="task-cancel")
            yield Button(Text(go), id="task-go", variant="error")

    def on_mount(self) -> None:
        self.query_one("#task-progress").display = False

    def error(self, text: str) -> None:
        self.query_one("#task-error", Static).update(safe_text(text))

    def start(self) -> None:
        self.busy = True
        self.error(self.t("busy"))
        self.query_one("#task-progress").display = True

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Button.Pressed, "#task-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == self.GO_INPUT:
            self._go()
        else:
            self.focus_next()

    def _go(self, event: Message | None = None) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    @on(Progress)
    def _progress(self, event: Progress) -> None:
        event.stop()
        self.query_one("#task-progress", ProgressBar).update(total=event.total, progress=event.done)

    def post_progress(self, done: int, total: int) -> None:
        """A progress callback for the services (from the worker thread)."""
        self.post_message(self.Progress(done, total))

    def report(self, func: Callable[[], object]) -> None:
        """Run ``func()`` (in a worker thread) and post its result or an expected
        error (a ``VpDeskError``, said in the dialog in its own words).

        Anything else resets the dialog and escapes the worker: the app's one
        failure handler shows the notice (``tui/workers.py``). The desk is held
        open for the whole run: a lock meanwhile waits for it instead of
        closing the vaults under a statement.
        """
        from vp_desk.tui.desk_guard import DeskLocked, hold

        desk = self.app.desk
        if desk is None:
            return
        try:
            with hold(desk):
                result = func()
            self.post_message(self.Finished(result, None))
        except DeskLocked:
            return  # locked meanwhile: the dialog is gone
        except WrongPassphrase:
            self.post_message(self.Finished(None, "wrong"))
        except VpDeskError as exc:
            self.post_message(self.Finished(None, error_text(exc, self.lang)))
        except BaseException:
            self.post_message(self.Finished(None, None, unexpected=True))
            raise  # the app's notice says what happened

    @on(Finished)
    def _finished(self, event: Finished) -> None:
        event.stop()
        self.busy = False
        self.query_one("#task-progress").display = False
        if event.unexpected:
            self.error("")
            return
        if event.error is not None:
            self.failed(event.error)
            return
        self.done(event.result)

    def failed(self, error: str) -> None:
        self.error(self.t("failed", error=error))

    def done(self, result: object) -> None:  # pragma: no cover - overridden
        self.dismiss(result)


# -- passphrase -------------------------------------------------------------------------------
class PassphraseDialog(_TaskDialog):
    AUTO_FOCUS = "#pw-old"
    GO_INPUT = "pw-again"
    # No draft, ever: every field is a passphrase (DRAFT_FIELDS stays empty, so
    # a lock keeps nothing of this dialog; the adviser types them again).
    DRAFT_FIELDS = ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("pw_title")), classes="dialog-title")
            yield Static(Text(self.t("pw_explain")))
            for key in ("old", "new", "again"):
                yield Static(Text(self.t(f"pw_{key}"), style="bold"))
                yield Input(password=True, id=f"pw-{key}")
            yield from self.buttons(self.t("pw_go"))

    @on(Button.Pressed, "#task-go")
    def _go(self, event: Message | None = None) -> None:
        if event is not None:
            event.stop()
        if self.busy:
            return
        from vp_desk.services.passphrase import strength, strength_message

        old, new, again = (self.query_one(f"#pw-{k}", Input).value for k in ("old", "new", "again"))
        if new != again:
            self.error(self.t("pw_differ"))
            return
        if new == old:
            self.error(self.t("pw_same"))
            return
        result = strength(new)
        if not result.ok:
            self.error(" ".join(strength_message(p, self.lang) for p in result.problems))
            return
        self.start()
        self._change(old, new)

    @work(thread=True, exclusive=True, exit_on_error=False, group="passphrase")
    def _change(self, old: str, new: str) -> None:
        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently

        def run() -> bool:
            # The current passphrase must open the key file (the same KDF as unlocking).
            ring = desk.vault.folder.keyfile.unlock(old)
            ring.drop()
            desk.change_passphrase(new, self.post_progress)
            return True

        self.report(run)

    def failed(self, error: str) -> None:
        if error != "wrong":
            super().failed(error)
            return
        self.error(self.t("pw_wrong"))
        self.query_one("#pw-old", Input).value = ""
        self.query_one("#pw-old", Input).focus()

    def done(self, result: object) -> None:
        for key in ("old", "new", "again"):
            self.query_one(f"#pw-{key}", Input).value = ""
        notify_safe(self.app, Text(self.t("pw_done")))
        self.dismiss(True)


def change_passphrase(app: VpDeskApp) -> None:
    if app.desk is not None:
        app.push_screen(PassphraseDialog(app.lang))


# -- remove an organisation ------------------------------------------------------------------------
class RemoveOrgDialog(_TaskDialog):
    AUTO_FOCUS = "#rm-name"
    GO_INPUT = "rm-name"
    DRAFT_KIND = "remove_org"
    DRAFT_FIELDS = ("rm-name",)

    def __init__(self, lang: str, org_id: int, name: str) -> None:
        super().__init__(lang)
        self.org_id = org_id
        self.org_name = name

    def draft_extra(self) -> dict:
        return {"org_id": self.org_id}

    def draft_wanted(self) -> bool:
        return not self.busy  # erasing: nothing to come back to

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("rm_title")), classes="dialog-title")
            explain = Text()
            first, _, rest = self.t("rm_explain", name="\x00").partition("\x00")
            explain.append(first)
            explain.append_text(safe_line(self.org_name, style="bold"))
            explain.append(rest)
            yield Static(explain)
            yield Static(Text(self.t("rm_name"), style="bold"))
            yield Input(id="rm-name")
            yield from self.buttons(self.t("rm_go"))

    @on(Button.Pressed, "#task-go")
    def _go(self, event: Message | None = None) -> None:
        if event is not None:
            event.stop()
        if self.busy:
            return
        typed = self.query_one("#rm-name", Input).value.strip()
        if typed.casefold() != self.org_name.strip().casefold():
            self.error(self.t("rm_mismatch"))
            return
        self.start()
        self._remove()

    @work(thread=True, exclusive=True, exit_on_error=False, group="remove-org")
    def _remove(self) -> None:
        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently

        def run() -> int:
            desk.shred_organisation(self.org_id)
            return self.org_id

        self.report(run)

    def done(self, result: object) -> None:
        app = self.app
        if getattr(app, "current_org_id", None) == self.org_id:
            app.current_org_id = None
        notify_safe(app, Text(self.t("rm_done", name=self.org_name)))
        self.dismiss(self.org_id)


def remove_organisation(
    app: VpDeskApp, org_id: int | None, then: Callable[[int | None], None] | None = None
) -> None:
    if app.desk is None or org_id is None:
        return
    try:
        org = app.desk.organisation(org_id)
    except VpDeskError:
        return
    app.push_screen(RemoveOrgDialog(app.lang, org.id, org.name), then)


# -- hand-over export ------------------------------------------------------------------------------
class HandoverExportDialog(_TaskDialog):
    AUTO_FOCUS = "#ho-path"
    GO_INPUT = "ho-path"
    # The path only: the one-time passphrase is shown in a Static, never kept.
    DRAFT_KIND = "handover_export"
    DRAFT_FIELDS = ("ho-path",)

    def __init__(self, lang: str, org_id: int, name: str, path: Path) -> None:
        super().__init__(lang)
        self.org_id = org_id
        self.org_name = name
        self.path = path

    def draft_extra(self) -> dict:
        return {"org_id": self.org_id}

    def draft_wanted(self) -> bool:
        # Once written (the one-time passphrase shown) nothing comes back.
        return not self.busy and not self.query_one("#ho-secret").display

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("ho_title")), classes="dialog-title")
            explain = Text()
            first, _, rest = self.t("ho_explain", name="\x00").partition("\x00")
            explain.append(first)
            explain.append_text(safe_line(self.org_name, style="bold"))
            explain.append(rest)
            yield Static(explain, id="ho-explain")
            yield Static(Text(self.t("ho_path"), style="bold"), id="ho-path-label")
            yield Input(str(self.path), id="ho-path")
            yield Static("", id="ho-secret")
            yield from self.buttons(self.t("ho_go"))

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#ho-secret").display = False

    @on(Button.Pressed, "#task-go")
    def _go(self, event: Message | None = None) -> None:
        if event is not None:
            event.stop()
        if self.busy:
            return
        if self.query_one("#ho-secret").display:  # the passphrase was shown: close
            self.dismiss(self.path)
            return
        value = self.query_one("#ho-path", Input).value.strip()
        if not value:
            self.error(self.t("no_path"))
            return
        path = Path(value).expanduser()
        if path.exists():
            self.error(self.t("ho_exists"))
            return
        self.start()
        self._export(path)

    @work(thread=True, exclusive=True, exit_on_error=False, group="handover")
    def _export(self, path: Path) -> None:
        from vp_desk.services.handover import export_organisation

        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently
        self.report(lambda: export_organisation(desk, self.org_id, path))

    def done(self, result) -> None:
        self.path = result.path
        secret = safe_text(self.t("ho_done", path=str(result.path), cases=result.cases))
        secret.append("\n\n")
        secret.append(result.passphrase, style="bold reverse")
        widget = self.query_one("#ho-secret", Static)
        widget.update(secret)
        widget.display = True
        self.error("")
        for selector in ("#ho-explain", "#ho-path-label", "#ho-path", "#task-cancel"):
            self.query_one(selector).display = False
        go = self.query_one("#task-go", Button)
        go.label = Text(self.t("ho_close"))
        go.variant = "primary"
        go.focus()

    def action_cancel(self) -> None:
        if self.query_one("#ho-secret").display:
            self.dismiss(self.path)
        else:
            super().action_cancel()


def handover_export(app: VpDeskApp, org_id: int | None) -> None:
    if app.desk is None or org_id is None:
        return
    try:
        org = app.desk.organisation(org_id)
    except VpDeskError:
        return
    app.push_screen(HandoverExportDialog(app.lang, org.id, org.name, _handover_path(app, org)))


def _handover_path(app: VpDeskApp, org: Organisation) -> Path:
    today = getattr(app, "today", None) or date.today()
    return Path.home() / f"overdracht-{safe_file_part(org.name)}-{today.isoformat()}.vphandover"


# -- hand-over import ------------------------------------------------------------------------------
class HandoverImportDialog(_TaskDialog):
    AUTO_FOCUS = "#hi-path"
    GO_INPUT = "hi-name"
    # The file and the other name; NEVER "hi-pass" (the one-time passphrase):
    # it is typed again after a lock.
    DRAFT_KIND = "handover_import"
    DRAFT_FIELDS = ("hi-path", "hi-name")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(Text(self.t("hi_title")), classes="dialog-title")
            yield Static(Text(self.t("hi_explain")))
            yield Static(Text(self.t("hi_path"), style="bold"))
            yield Input(id="hi-path")
            yield Static(Text(self.t("hi_pass"), style="bold"))
            yield Input(password=True, id="hi-pass")
            yield Static(Text(self.t("hi_name"), style="bold"))
            yield Input(id="hi-name")
            yield from self.buttons(self.t("hi_go"))

    @on(Button.Pressed, "#task-go")
    def _go(self, event: Message | None = None) -> None:
        if event is not None:
            event.stop()
        if self.busy:
            return
        path_text = self.query_one("#hi-path", Input).value.strip()
        one_time = self.query_one("#hi-pass", Input).value.strip()
        name = self.query_one("#hi-name", Input).value.strip() or None
        if not path_text:
            self.error(self.t("no_path"))
            return
        path = Path(path_text).expanduser()
        if not path.is_file():
            self.error(self.t("hi_missing"))
            return
        if not one_time:
            self.error(self.t("no_pass"))
            return
        self.start()
        self._import(path, one_time, name)

    @work(thread=True, exclusive=True, exit_on_error=False, group="handover")
    def _import(self, path: Path, one_time: str, name: str | None) -> None:
        from vp_desk.services.handover import import_organisation

        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently

        def run() -> tuple[Organisation, int]:
            org = import_organisation(desk, path, one_time, name)
            return org, desk.count_cases(org.id)

        self.report(run)

    def done(self, result) -> None:
        org, cases = result
        self.query_one("#hi-pass", Input).value = ""
        notify_safe(self.app, Text(self.t("hi_done", name=org.name, cases=cases)))
        self.dismiss(org.id)


def handover_import(app: VpDeskApp, then: Callable[[int | None], None] | None = None) -> None:
    if app.desk is not None:
        app.push_screen(HandoverImportDialog(app.lang), then)


# -- every organisation's report (the portfolio screen) ---------------------------------------
REPORT_STRINGS = {
    "ra_title": ("Alle jaarverslagen {year}", "Every annual report {year}"),
    "ra_explain": (
        "Het jaarverslag van elke organisatie, elk in een eigen bestand in deze map, met "
        "dezelfde controles als één verslag. Een bestaand bestand wordt nooit vervangen.",
        "Every organisation's annual report, each in its own file in this folder, with the "
        "same checks as a single report. An existing file is never replaced.",
    ),
    "ra_dir": ("Map", "Folder"),
    "ra_format": ("Formaat", "Format"),
    "ra_go": ("Schrijven", "Write"),
    "ra_done": (
        "{n} van {total} jaarverslagen geschreven in {path}.",
        "{n} of {total} reports written to {path}.",
    ),
    "ra_refused": ("Niet geschreven:", "Not written:"),
    "ra_noted": ("Let op:", "Note:"),
    "ra_close": ("Sluiten", "Close"),
    "ra_draft": ("Alle jaarverslagen", "Every annual report"),
}
STRINGS.update(REPORT_STRINGS)


class AllReportsDialog(_TaskDialog):
    AUTO_FOCUS = "#ra-dir"
    GO_INPUT = "ra-dir"
    DRAFT_KIND = "all_reports"
    DRAFT_FIELDS = ("ra-dir", "ra-format")

    def __init__(self, lang: str, year: int, folder: Path) -> None:
        super().__init__(lang)
        self.year = year
        self.folder = folder
        self.results: list[OrgReport] | None = None

    def draft_extra(self) -> dict:
        return {"year": self.year, "title": str(self.year)}

    def draft_wanted(self) -> bool:
        return not self.busy and self.results is None

    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        with Vertical(classes="dialog"):
            yield Static(Text(self.t("ra_title", year=self.year)), classes="dialog-title")
            yield Static(Text(self.t("ra_explain")), id="ra-explain")
            yield Static(Text(self.t("ra_dir"), style="bold"), id="ra-dir-label")
            yield Input(str(self.folder), id="ra-dir")
            yield Static(Text(self.t("ra_format"), style="bold"), id="ra-format-label")
            yield Select(
                [(Text(f.upper()), f) for f in ("pdf", "docx", "html", "md", "csv", "json")],
                value="pdf",
                allow_blank=False,
                id="ra-format",
                compact=True,
            )
            yield Static("", id="ra-result")
            yield from self.buttons(self.t("ra_go"))

    @on(Button.Pressed, "#task-go")
    def _go(self, event: Message | None = None) -> None:
        from textual.widgets import Select

        if event is not None:
            event.stop()
        if self.busy:
            return
        if self.results is not None:
            self.dismiss(self.results)
            return
        value = self.query_one("#ra-dir", Input).value.strip()
        if not value:
            self.error(self.t("no_path"))
            return
        fmt = str(self.query_one("#ra-format", Select).value)
        self.folder = Path(value).expanduser()
        self.start()
        self._write(self.folder, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="all-reports")
    def _write(self, folder: Path, fmt: str) -> None:
        from vp_desk.services.all_reports import export_all

        desk = self.app.unlocked_desk  # DeskLocked ends the worker silently
        today = getattr(self.app, "today", None)
        self.report(
            lambda: export_all(
                desk, self.year, fmt, folder, today=today, progress=self.post_progress
            )
        )

    def done(self, results) -> None:
        self.results = results
        written = [r for r in results if r.written]
        text = safe_text(
            self.t("ra_done", n=len(written), total=len(results), path=str(self.folder))
        )
        text.stylize("bold")
        for key, group in (
            ("ra_noted", [r for r in written if r.reason]),
            ("ra_refused", [r for r in results if not r.written]),
        ):
            if group:
                text.append("\n" + self.t(key), style="bold")
                for r in group:
                    text.append("\n• ")
                    text.append_text(safe_line(r.organisation, limit=60))
                    text.append(": " + r.reason_text(self.lang))
        self.query_one("#ra-result", Static).update(text)
        self.error("")
        for selector in ("#ra-explain", "#ra-dir-label", "#ra-dir", "#ra-format-label"):
            self.query_one(selector).display = False
        self.query_one("#ra-format").display = False
        self.query_one("#task-cancel").display = False
        go = self.query_one("#task-go", Button)
        go.label = Text(self.t("ra_close"))
        go.variant = "primary"
        go.focus()

    def action_cancel(self) -> None:
        if self.results is not None:
            self.dismiss(self.results)
        else:
            super().action_cancel()


def all_reports(app: VpDeskApp, year: int) -> None:
    if app.desk is not None:
        app.push_screen(AllReportsDialog(app.lang, year, Path.home() / f"jaarverslagen-{year}"))


# -- drafts kept over a lock (issue 13, h21-drafts) ---------------------------------------------
def _reload(app: VpDeskApp, org_id: int | None) -> None:
    """After a restored dialog removed or added an organisation: show the lists again."""
    if org_id is None:
        return
    for screen in (app.screen, app.screen_stack[0]):
        for name in ("fill_orgs", "reload"):
            method = getattr(screen, name, None)
            if callable(method):
                method()
                break


def _restore_remove(app: VpDeskApp, payload: dict):
    org = app.unlocked_desk.organisation(int(payload["org_id"]))
    return RemoveOrgDialog(app.lang, org.id, org.name), lambda org_id: _reload(app, org_id)


def _restore_handover_export(app: VpDeskApp, payload: dict) -> HandoverExportDialog:
    org = app.unlocked_desk.organisation(int(payload["org_id"]))
    return HandoverExportDialog(app.lang, org.id, org.name, _handover_path(app, org))


def _restore_handover_import(app: VpDeskApp, payload: dict):
    def imported(org_id: int | None) -> None:
        if org_id is not None:
            app.current_org_id = org_id
            _reload(app, org_id)

    return HandoverImportDialog(app.lang), imported


def _restore_all_reports(app: VpDeskApp, payload: dict) -> AllReportsDialog | None:
    """The portfolio screen of that year, the dialog on top of it."""
    from vp_desk.tui.screens.portfolio import PortfolioScreen

    year = payload.get("year")
    if not isinstance(year, int):
        return None
    app.push_screen(PortfolioScreen(year, today=getattr(app, "fixed_today", None)))
    return AllReportsDialog(app.lang, year, Path.home() / f"jaarverslagen-{year}")


for _kind, _make, _label in (
    (RemoveOrgDialog.DRAFT_KIND, _restore_remove, "rm_draft"),
    (HandoverExportDialog.DRAFT_KIND, _restore_handover_export, "ho_draft"),
    (HandoverImportDialog.DRAFT_KIND, _restore_handover_import, "hi_draft"),
    (AllReportsDialog.DRAFT_KIND, _restore_all_reports, "ra_draft"),
):
    drafts.register_restorer(_kind, drafts.field_restorer(_make), label=STRINGS[_label])
