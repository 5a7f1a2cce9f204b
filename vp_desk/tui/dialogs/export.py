"""Export one dossier for a melder's access request (AVG art. 15).

``confirm_overwrite`` is the one question every export in the app asks before
an existing file is replaced (report export, invoice specification).

``export_dossier(app, org_id, case_id)`` (called from the case view) opens a
dialog that warns first: the file holds every note in readable form. Only
after the VP chooses a format and a file name and presses Export is the file
written (``vp_desk.services.dossier``, mode 0600, with an audit row).

The default name carries the organisation (as a safe file name) and the case
code, since every organisation has a case 2026-001; an existing file is only
replaced after an explicit "replace" in a confirmation dialog.

A typed file name (or another format) is kept over a lock as a draft in the
encrypted index vault (``tui/drafts.py``) and comes back after unlock.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import getters, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, RadioButton, RadioSet, Static

from vp_desk.errors import VpDeskError
from vp_desk.i18n import error_text
from vp_desk.services import dossier
from vp_desk.tui import drafts
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_text
from vp_desk.tui.widgets.notify import notify_safe
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

STRINGS = {
    "title": (
        "Dossier {code} exporteren (inzageverzoek)",
        "Export dossier {code} (access request)",
    ),
    "warning": (
        "Let op: het bestand bevat alle notities van deze casus en van de "
        "contactmomenten, leesbaar zonder wachtzin. Geef het alleen aan de melder die om "
        "inzage vroeg, en verwijder het zodra het is overhandigd.",
        "Warning: the file holds every note of this case and of its contact moments, "
        "readable without the passphrase. Give it only to the melder who asked for "
        "access, and delete it once it has been handed over.",
    ),
    "format": ("Formaat", "Format"),
    "md": ("Markdown (.md)", "Markdown (.md)"),
    "pdf": ("PDF (.pdf)", "PDF (.pdf)"),
    "path": ("Opslaan als", "Save as"),
    "export": ("Exporteren", "Export"),
    "cancel": ("Annuleren (Esc)", "Cancel (Esc)"),
    "no_path": ("Geef een bestandsnaam.", "Give a file name."),
    "writing": ("Bezig met schrijven...", "Writing..."),
    "written": (
        "Dossier {code} is opgeslagen in {path}. Het is niet versleuteld: bewaar het "
        "veilig en verwijder het na overhandiging.",
        "Dossier {code} was written to {path}. It is not encrypted: keep it safe and "
        "delete it once handed over.",
    ),
    "failed": ("Niet geëxporteerd: {error}", "Not exported: {error}"),
    "exists": (
        "{name} bestaat al (in {folder}). Vervangen? Het oude bestand is dan weg.",
        "{name} already exists (in {folder}). Replace it? The old file will be gone.",
    ),
    "exists_title": ("Bestand bestaat al", "The file exists"),
    "replace": ("Vervangen", "Replace"),
    "keep": ("Niet vervangen", "Keep it"),
    "kept": (
        "Niet geëxporteerd: het bestaande bestand is niet aangeraakt. Kies een andere naam.",
        "Not exported: the existing file was left alone. Choose another name.",
    ),
    "exists_dossier": (
        "Het bestand {path} bestaat al. Vervangen door dit dossier?",
        "The file {path} already exists. Replace it with this dossier?",
    ),
    "draft_label": ("Dossier exporteren", "Exporting a dossier"),
}
DRAFT_KIND = "export_dossier"


def confirm_overwrite(screen, path: Path, lang: str, go, refused=None) -> None:
    """``go(replace)`` at once for a new file; for an existing one only after a "Replace".

    The safe answer has the focus, so Enter alone never replaces a file.
    ``refused()`` runs when the adviser keeps the existing file.
    """
    from vp_desk.tui.dialogs.confirm import ConfirmDialog

    if not path.exists():
        go(False)
        return

    def answered(replace: bool | None) -> None:
        if replace:
            go(True)
        elif refused is not None:
            refused()

    screen.app.push_screen(
        ConfirmDialog(
            pick(STRINGS, "exists", lang, name=path.name, folder=str(path.parent)),
            lang=lang,
            title=pick(STRINGS, "exists_title", lang),
            yes=pick(STRINGS, "replace", lang),
            no=pick(STRINGS, "keep", lang),
            danger=True,
        ),
        answered,
    )


def safe_file_part(name: str, fallback: str = "organisatie") -> str:
    """``Stichting Café "De Hoek"`` -> ``stichting-cafe-de-hoek``: ASCII letters,
    digits and dashes only, so the name is safe on every file system and in a mail."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:40].strip("-") or fallback


def default_name(org_name: str, code: str, fmt: str) -> str:
    """``dossier-<organisation>-<case code>.<fmt>``: never the same for two organisations."""
    return f"dossier-{safe_file_part(org_name)}-{safe_file_part(code, 'casus')}.{fmt}"


def default_path(org_name: str, code: str, fmt: str, folder: Path | None = None) -> Path:
    return (folder or Path.cwd()) / default_name(org_name, code, fmt)


class ExportDialog(WorkerFailures, ModalScreen[Path | None]):
    """The warning, the format and the file name; writes on Export."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    CSS_PATH = "export.tcss"
    AUTO_FOCUS = "#export-cancel"
    BINDINGS = [Binding("escape", "cancel", show=False)]

    @dataclass
    class Written(Message):
        path: Path | None
        error: str | None

    def __init__(
        self,
        org_id: int,
        case_id: int,
        code: str,
        lang: str,
        folder: Path | None = None,
        org_name: str = "",
        *,
        path: str | None = None,
        fmt: str = "md",
    ) -> None:
        super().__init__()
        self.org_id = org_id
        self.case_id = case_id
        self.code = code
        self.org_name = org_name
        self.lang = lang
        self.folder = folder
        self.busy = False
        #: What the dialog opens with (a draft kept over a lock brings its own).
        self.start_fmt = "pdf" if fmt == "pdf" else "md"
        self.start_path = path if path is not None else str(self._default(self.start_fmt))

    def draft_payload(self) -> dict | None:
        """A typed file name or another format is kept over a lock (issue 13)."""
        if not self.is_attached:
            return None
        value, fmt = self.query_one("#export-path", Input).value, self.fmt()
        if (value, fmt) == (str(self._default("md")), "md"):
            return None  # as it opened: nothing to keep
        return {
            "kind": DRAFT_KIND,
            "org_id": self.org_id,
            "case_id": self.case_id,
            "title": self.code,
            "path": value,
            "fmt": fmt,
        }

    def compose(self) -> ComposeResult:
        lang = self.lang
        # Scrolls when the terminal is low (80x24): the buttons stay reachable.
        with VerticalScroll(classes="dialog", can_focus=False):
            yield Static(Text(pick(STRINGS, "title", lang, code=self.code)), classes="dialog-title")
            yield Static(Text(pick(STRINGS, "warning", lang)), id="export-warning")
            yield Static(Text(pick(STRINGS, "format", lang), style="bold"))
            with RadioSet(id="export-format"):
                pdf = self.start_fmt == "pdf"
                yield RadioButton(Text(pick(STRINGS, "md", lang)), value=not pdf, id="fmt-md")
                yield RadioButton(Text(pick(STRINGS, "pdf", lang)), value=pdf, id="fmt-pdf")
            yield Static(Text(pick(STRINGS, "path", lang), style="bold"))
            yield Input(self.start_path, id="export-path")
            yield Static("", id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Text(pick(STRINGS, "cancel", lang)), id="export-cancel")
                yield Button(Text(pick(STRINGS, "export", lang)), id="export-go", variant="warning")

    def _default(self, fmt: str) -> Path:
        return default_path(self.org_name, self.code, fmt, self.folder)

    def fmt(self) -> str:
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        return "pdf" if pressed is not None and pressed.id == "fmt-pdf" else "md"

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        field = self.query_one("#export-path", Input)
        path = Path(field.value.strip() or self._default("md"))
        field.value = str(path.with_suffix("." + self.fmt()))

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _go(self, event: Message) -> None:
        event.stop()
        if self.busy:
            return
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.query_one("#export-error", Static).update(
                Text(pick(STRINGS, "no_path", self.lang))
            )
            return
        path, fmt = Path(value).expanduser(), self.fmt()
        if not path.exists():
            self._start(path, fmt)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self._start(path, fmt)
            else:
                self.query_one("#export-error", Static).update(
                    Text(pick(STRINGS, "kept", self.lang))
                )
                self.query_one("#export-path", Input).focus()

        self.app.push_screen(
            ConfirmDialog(
                safe_text(pick(STRINGS, "exists_dossier", self.lang, path=path)),
                lang=self.lang,
                yes=pick(STRINGS, "replace", self.lang),
                no=pick(STRINGS, "keep", self.lang),
                danger=True,
            ),
            answered,
        )

    def _start(self, path: Path, fmt: str) -> None:
        self.busy = True
        self.query_one("#export-error", Static).update(Text(pick(STRINGS, "writing", self.lang)))
        self._write(path, fmt)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def _write(self, path: Path, fmt: str) -> None:
        try:
            written = dossier.export_dossier(
                self.app.unlocked_desk,
                self.org_id,
                self.case_id,
                fmt,
                path,
                self.lang,
                getattr(self.app, "today", None),
            )
            self.post_message(self.Written(written, None))
        except VpDeskError as exc:
            self.post_message(self.Written(None, error_text(exc, self.lang)))
        except BaseException:
            self.post_message(self.Written(None, None))  # the app shows the notice
            raise

    @on(Written)
    def _written(self, event: Written) -> None:
        event.stop()
        self.busy = False
        if event.path is None:
            if event.error is not None:
                self.query_one("#export-error", Static).update(
                    safe_text(pick(STRINGS, "failed", self.lang, error=event.error))
                )
            return
        notify_safe(
            self, pick(STRINGS, "written", self.lang, code=self.code, path=event.path), timeout=10
        )
        self.dismiss(event.path)


def export_dossier(app, org_id: int, case_id: int, folder: Path | None = None) -> None:
    """Open the export dialog for one case (the warning comes first)."""
    case = app.desk.get_case(org_id, case_id)
    org_name = app.desk.organisation(org_id).name
    app.push_screen(ExportDialog(org_id, case_id, case.code, app.lang, folder, org_name))


def restore_draft(app, payload: dict) -> None:
    """Reopen the case with its export dialog on top, the typed file name in it."""
    from vp_desk.tui.screens.case_view import CaseViewScreen

    org_id, case_id = int(payload["org_id"]), int(payload["case_id"])
    case = app.desk.get_case(org_id, case_id)
    org_name = app.desk.organisation(org_id).name
    app.push_screen(CaseViewScreen(org_id, case_id, today=getattr(app, "fixed_today", None)))
    app.push_screen(
        ExportDialog(
            org_id,
            case_id,
            case.code,
            app.lang,
            org_name=org_name,
            path=str(payload.get("path") or "") or None,
            fmt=str(payload.get("fmt") or "md"),
        )
    )


drafts.register_restorer(DRAFT_KIND, restore_draft, label=STRINGS["draft_label"])
