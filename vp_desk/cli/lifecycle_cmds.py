"""backup, restore, handover export|import, retention."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from vp_desk.cli.common import (
    common_options,
    confirm,
    get_passphrase,
    guarded,
    language,
    open_desk,
    settings,
    show_on_stdout,
    silence_stdout,
    stdout_open,
)
from vp_desk.errors import VpDeskError
from vp_desk.i18n import Text, format_number, lookup, register

#: What these commands say, in Dutch and English (vp_desk/i18n.py).
TEXT: dict[str, tuple[Text, Text]] = {
    "backing_up": ("Back-up maken", "Backing up"),
    "backup_written": (
        "Back-up geschreven naar {path} ({size}, sleutelbestand en {vaults} kluis/kluizen). "
        "Hij opent met de wachtzin die vandaag in gebruik is.",
        "Backup written to {path} ({size}, key file and {vaults} vault(s)). It opens with "
        "the passphrase in use today.",
    ),
    "folder_not_empty": (
        "De datamap {path} is niet leeg. Zet een back-up alleen terug in een lege of nieuwe "
        "map (gebruik --data-dir); er is niets gewijzigd.",
        "The data folder {path} is not empty. Restore only into an empty or new folder (use "
        "--data-dir); nothing was changed.",
    ),
    "no_such_file": ("Het bestand {path} bestaat niet.", "The file {path} does not exist."),
    "not_regular": (
        "{path} is geen gewoon bestand; er is niets gewijzigd.",
        "{path} is not a regular file; nothing was changed.",
    ),
    "backup_passphrase": ("Wachtzin van de back-up: ", "Passphrase of the backup: "),
    "restoring": ("Terugzetten", "Restoring"),
    "restored": (
        "De back-up is teruggezet in {path} ({count} organisatiekluis/-kluizen). Controleer "
        "hem met 'vp-desk verify'.",
        "Restored the backup into {path} ({count} organisation vault(s)). Run 'vp-desk "
        "verify' to check it.",
    ),
    "stdout_closed": (
        "Standaarduitvoer is gesloten, dus de eenmalige wachtzin kon niet worden getoond. "
        "Voer de opdracht uit met de uitvoer op het scherm of in een bestand; er is niets "
        "geschreven.",
        "Standard output is closed, so the one-time passphrase could not be shown. Run the "
        "command with its output on the screen or in a file; nothing was written.",
    ),
    "handover_written": (
        "Overdrachtsbestand geschreven naar {path}: {org}, {cases} melding(en). Er staat niets "
        "van een andere organisatie in.\nHet opent alleen met deze eenmalige wachtzin, die "
        "één keer wordt getoond; geef hem de opvolger los van het bestand:\n{passphrase}\n",
        "Hand-over file written to {path}: {org}, {cases} case(s). Nothing of any other "
        "organisation is in it.\nIt opens only with this one-time passphrase, shown once; "
        "give it to the successor separately from the file:\n{passphrase}\n",
    ),
    "passphrase_lost": (
        "De eenmalige wachtzin kon niet naar standaarduitvoer worden geschreven (een volle "
        "schijf of gesloten uitvoer), dus het overdrachtsbestand is weer verwijderd; er is "
        "niets gewijzigd.",
        "The one-time passphrase could not be written to standard output (a full disk or a "
        "closed output), so the hand-over file was removed again; nothing was changed.",
    ),
    "one_time_prompt": ("Eenmalige wachtzin: ", "One-time passphrase: "),
    "handover_added": (
        "Organisatie {name} toegevoegd (nummer {number}) met {cases} melding(en).",
        "Added organisation {name} (number {number}) with {cases} case(s).",
    ),
    "none_due": (
        "Er zijn geen meldingen over hun bewaartermijn.",
        "No cases are past their retention period.",
    ),
    "col_org": ("organisatie", "organisation"),
    "col_case": ("melding", "case"),
    "col_closed": ("gesloten", "closed"),
    "col_due": ("bewaartermijn voorbij sinds", "past retention since"),
    "due_count": (
        "{count} melding(en) zijn aan de beurt. Vernietig ze met 'vp-desk retention --apply'.",
        "{count} case(s) are due. Run 'vp-desk retention --apply' to destroy them.",
    ),
    "confirm_destroy": (
        "Deze {count} melding(en) vernietigen? De notities worden voorgoed gewist; de "
        "gecodeerde velden blijven voor de verslagen.",
        "Destroy these {count} case(s)? Their notes are erased for good; the coded fields "
        "stay for the reports.",
    ),
    "destroyed": (
        "{count} melding(en) vernietigd. Grafstenen met de gecodeerde velden blijven, en het "
        "vernietigingslogboek legt datum en meldingscode vast. Oudere back-ups kunnen ze nog "
        "bevatten.",
        "Destroyed {count} case(s). Tombstones with the coded fields remain, and the "
        "destruction log records date and case code. Older backups may still hold them.",
    ),
}
register("vp_desk.cli.lifecycle_cmds", TEXT)


def _say(key: str, /, **params: object) -> str:
    return lookup(TEXT, key, language(), **params)


@contextmanager
def _progress(label: str) -> Iterator:
    """A progress bar on stderr, only when stderr is a terminal."""
    if not (sys.stderr and sys.stderr.isatty()):
        yield None
        return
    with click.progressbar(
        length=1, label=label, file=sys.stderr, show_eta=True, show_percent=True
    ) as bar:
        state = {"done": 0}

        def update(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - state["done"])
            state["done"] = done

        yield update


def _size(n: float) -> str:
    lang = language()
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            decimals = 0 if unit == "bytes" else 1
            return f"{format_number(n, lang, decimals, grouping=False)} {unit}"
        n /= 1024
    return f"{n} bytes"  # pragma: no cover


@click.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@guarded
def backup(out: Path) -> None:
    """Write an encrypted backup of the whole data folder to OUT.

    OUT is one file holding the key file and a consistent copy of every
    vault, sealed so that only the passphrase of today opens it. Keep it on
    another disk.
    """
    from vp_desk.services.backup import create_backup

    with open_desk() as desk:
        with _progress(_say("backing_up")) as progress:
            result = create_backup(desk, out, progress)
    click.echo(
        _say("backup_written", path=result.path, size=_size(result.size), vaults=result.vaults)
    )


@click.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@guarded
def restore(file: Path) -> None:
    """Restore a backup FILE into an empty data folder (--data-dir).

    Asks for the passphrase that was in use when the backup was made.
    """
    from vp_desk.errors import UsageError
    from vp_desk.services.backup import restore_backup
    from vp_desk.services.storage import DataFolder

    folder = DataFolder(settings().data_dir)
    if not folder.is_empty():
        raise UsageError(_say("folder_not_empty", path=folder.path))
    if not file.exists():
        raise UsageError(_say("no_such_file", path=file))
    if not file.is_file():
        raise UsageError(_say("not_regular", path=file))
    passphrase = get_passphrase(_say("backup_passphrase"))
    with _progress(_say("restoring")) as progress:
        count = restore_backup(file, folder.path, passphrase, progress)
    click.echo(_say("restored", path=folder.path, count=count))


@click.group()
@common_options
def handover() -> None:
    """Hand one organisation's dossiers over to another adviser."""


@handover.command("export")
@click.argument("org_name", metavar="ORG")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@common_options
@guarded
def handover_export(org_name: str, out: Path) -> None:
    """Write ORG's dossiers to OUT under a new one-time passphrase.

    The passphrase is printed once, as the last line. Give it to the
    successor by another route than the file (for example by phone).
    """
    from vp_desk.errors import UsageError
    from vp_desk.services.handover import export_organisation, record_export

    if not stdout_open():
        raise UsageError(_say("stdout_closed"))
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        result = export_organisation(desk, org.id, out, record=False)
        try:
            show_on_stdout(
                _say(
                    "handover_written",
                    path=result.path,
                    org=result.organisation,
                    cases=result.cases,
                    passphrase=result.passphrase,
                )
            )
        except (OSError, ValueError) as exc:
            result.path.unlink(missing_ok=True)
            silence_stdout()
            raise PassphraseLost() from exc
        try:
            record_export(desk, org.id)
        except BaseException:
            result.path.unlink(missing_ok=True)
            raise


class PassphraseLost(VpDeskError):
    """Printing the one-time passphrase failed; the file was removed again."""

    def __init__(self) -> None:
        super().__init__(_say("passphrase_lost"))


@handover.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--name", default=None, help="Add the organisation under this name instead.")
@common_options
@guarded
def handover_import(file: Path, name: str | None) -> None:
    """Add the organisation in a hand-over FILE to this data folder.

    Asks for the one-time passphrase, or reads VP_DESK_HANDOVER_PASSPHRASE.
    """
    from vp_desk.cli.common import _prompt_hidden
    from vp_desk.errors import UsageError
    from vp_desk.services.handover import ENV_PASSPHRASE, import_organisation

    if not file.exists():
        raise UsageError(_say("no_such_file", path=file))
    if not file.is_file():
        raise UsageError(_say("not_regular", path=file))
    with open_desk() as desk:
        one_time = os.environ.get(ENV_PASSPHRASE) or _prompt_hidden(_say("one_time_prompt"))
        org = import_organisation(desk, file, one_time.strip(), name)
        cases = desk.count_cases(org.id)
    click.echo(_say("handover_added", name=org.name, number=org.id, cases=cases))


@click.command()
@click.option("--apply", "apply_", is_flag=True, help="Destroy the cases listed (asks first).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@guarded
def retention(apply_: bool, yes: bool) -> None:
    """List closed cases past their retention period; --apply destroys them.

    Destruction keeps a tombstone with the coded fields (so past reports stay
    the same) and removes the notes, the notes of contact moments, drafts and
    repeat-subject hashes. Cases on legal hold are never listed.
    """
    from vp_desk.services import retention as svc

    day = date.today()
    with open_desk() as desk:
        due = svc.due_cases(desk, day)
        if not due:
            click.echo(_say("none_due"))
            return
        heading = _say("col_org")
        width = max([len(heading)] + [len(i.org_name) for i in due])
        case, closed = _say("col_case"), _say("col_closed")
        click.echo(f"{heading:<{width}}  {case:<8}  {closed:<10}  {_say('col_due')}")
        for item in due:
            click.echo(
                f"{item.org_name:<{width}}  {item.code:<8}  {item.closed.isoformat()}  "
                f"{item.due_on.isoformat()}"
            )
        if not apply_:
            click.echo(_say("due_count", count=len(due)))
            return
        confirm(_say("confirm_destroy", count=len(due)), yes)
        done = svc.destroy_due(desk, day)
    click.echo(_say("destroyed", count=len(done)))
