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
    open_desk,
    settings,
    show_on_stdout,
    silence_stdout,
    stdout_open,
)
from vp_desk.errors import VpDeskError


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
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
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
        with _progress("Backing up") as progress:
            result = create_backup(desk, out, progress)
    click.echo(
        f"Backup written to {result.path} ({_size(result.size)}, key file and "
        f"{result.vaults} vault(s)). It opens with the passphrase in use today."
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
        raise UsageError(
            f"The data folder {folder.path} is not empty. Restore only into an "
            "empty or new folder (use --data-dir); nothing was changed."
        )
    if not file.exists():
        raise UsageError(f"The file {file} does not exist.")
    if not file.is_file():
        raise UsageError(f"{file} is not a regular file; nothing was changed.")
    passphrase = get_passphrase("Passphrase of the backup: ")
    with _progress("Restoring") as progress:
        count = restore_backup(file, folder.path, passphrase, progress)
    click.echo(
        f"Restored the backup into {folder.path} ({count} organisation vault(s)). "
        "Run 'vp-desk verify' to check it."
    )


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
        raise UsageError(
            "Standard output is closed, so the one-time passphrase could not be shown. "
            "Run the command with its output on the screen or in a file; nothing was written."
        )
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        result = export_organisation(desk, org.id, out, record=False)
        try:
            show_on_stdout(
                f"Hand-over file written to {result.path}: {result.organisation}, "
                f"{result.cases} case(s). Nothing of any other organisation is in it.\n"
                "It opens only with this one-time passphrase, shown once; give it to the "
                f"successor separately from the file:\n{result.passphrase}\n"
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
        super().__init__(
            "The one-time passphrase could not be written to standard output (a full "
            "disk or a closed output), so the hand-over file was removed again; "
            "nothing was changed."
        )


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
        raise UsageError(f"The file {file} does not exist.")
    if not file.is_file():
        raise UsageError(f"{file} is not a regular file; nothing was changed.")
    with open_desk() as desk:
        one_time = os.environ.get(ENV_PASSPHRASE) or _prompt_hidden("One-time passphrase: ")
        org = import_organisation(desk, file, one_time.strip(), name)
        cases = desk.count_cases(org.id)
    click.echo(f"Added organisation {org.name} (number {org.id}) with {cases} case(s).")


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
            click.echo("No cases are past their retention period.")
            return
        width = max(len(i.org_name) for i in due)
        width = max(width, len("organisation"))
        click.echo(f"{'organisation':<{width}}  case      closed      past retention since")
        for item in due:
            click.echo(
                f"{item.org_name:<{width}}  {item.code:<8}  {item.closed.isoformat()}  "
                f"{item.due_on.isoformat()}"
            )
        if not apply_:
            click.echo(
                f"{len(due)} case(s) are due. Run 'vp-desk retention --apply' to destroy them."
            )
            return
        confirm(
            f"Destroy these {len(due)} case(s)? Their notes are erased for good; the coded "
            "fields stay for the reports.",
            yes,
        )
        done = svc.destroy_due(desk, day)
    click.echo(
        f"Destroyed {len(done)} case(s). Tombstones with the coded fields remain, and the "
        "destruction log records date and case code. Older backups may still hold them."
    )
