"""import ORG FILE [--dry-run] [--skip-bad] (docs/en/daily-use.md, "Importing earlier records")."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from vp_desk.cli.common import common_options, guarded, open_desk, settings
from vp_desk.i18n import format_hours, lookup, register

#: At most this many bad rows are listed one by one; the rest are counted.
MAX_LISTED = 200
#: Files with fewer rows finish too fast for a progress bar to help.
PROGRESS_FROM = 500

TEXT = {
    "dry_run": (
        "Proefrun voor {org}: {ok} van {total} zaken zijn in orde ({contacts} "
        "contactmomenten, {hours} uur); {bad} regel(s) niet. Er is niets gewijzigd.",
        "Dry run for {org}: {ok} of {total} cases are valid ({contacts} contact "
        "moments, {hours} hours); {bad} row(s) are not. Nothing was changed.",
    ),
    "would_refuse": (
        "Zonder --skip-bad zou de import worden geweigerd.",
        "Without --skip-bad the import would be refused.",
    ),
    "imported": (
        "{count} zaken geïmporteerd in {org} ({contacts} contactmomenten), "
        "codes {first} t/m {last}.",
        "Imported {count} cases into {org} ({contacts} contact moments), codes {first} to {last}.",
    ),
    "skipped": ("{count} regel(s) overgeslagen.", "{count} row(s) skipped."),
    "nothing": (
        "Er was geen goede regel; er is niets geïmporteerd.",
        "There was no valid row; nothing was imported.",
    ),
    "more": ("... en nog {count} regel(s) met fouten.", "... and {count} more bad row(s)."),
    "reading": ("Lezen", "Reading"),
    "importing": ("Importeren", "Importing"),
}


register("vp_desk.cli.import_cmd", TEXT)


def _t(key: str, lang: str, **params: object) -> str:
    return lookup(TEXT, key, lang, **params)


@contextmanager
def _progress(label: str, total: int | None) -> Iterator[Callable[[int], None] | None]:
    """A click progress bar on stderr, only for a terminal and a long file."""
    if not sys.stderr.isatty() or (total is not None and total < PROGRESS_FROM):
        yield None
        return
    with click.progressbar(length=total or 0, label=label, file=sys.stderr) as bar:
        done = 0

        def update(n: int) -> None:
            nonlocal done
            if n - done >= 25 or n == total:
                bar.update(n - done)
                done = n

        yield update


def _list_errors(errors, lang: str) -> None:
    for error in errors[:MAX_LISTED]:
        click.echo(error.message, err=True)
    if len(errors) > MAX_LISTED:
        click.echo(_t("more", lang, count=len(errors) - MAX_LISTED), err=True)


def _rough_rows(path: Path) -> int | None:
    """Lines in a CSV file, for the reading bar (None for a workbook)."""
    try:
        if path.suffix.lower() == ".xlsx":
            return None
        with open(path, "rb") as fh:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    except OSError:
        return None


@click.command("import")
@click.argument("org_name", metavar="ORG")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report; change nothing.")
@click.option(
    "--skip-bad",
    is_flag=True,
    help="Import the valid rows and list the bad ones (default: all or nothing).",
)
@common_options
@guarded
def import_cases(org_name: str, file: Path, dry_run: bool, skip_bad: bool) -> None:
    """Import cases from a CSV or XLSX file, one row per case.

    Columns (English or Dutch): opened/geopend (required), closed/gesloten,
    contact_role/rol, behaviours/gedrag, relation/relatie, help/hulp,
    referrals/doorverwijzing, outcome/vervolg, channel/kanaal,
    consultations/contactmomenten, minutes/minuten, notes/notities.
    A file with any bad row imports nothing unless --skip-bad is given.
    """
    from vp_desk.services import importer

    lang = settings().language
    importer.check_file(file, lang)  # /dev/zero or a pipe: refused before reading
    rough = _rough_rows(file)
    with _progress(_t("reading", lang), rough) as update:
        plan = importer.plan_import(file, lang, progress=update)
    if plan.errors and not skip_bad and not dry_run:
        # Refused before the vault is even opened: nothing can change.
        _list_errors(plan.errors, lang)
        raise importer.ImportRejected(plan)
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        if dry_run:
            _list_errors(plan.errors, lang)
            click.echo(
                _t(
                    "dry_run",
                    lang,
                    org=org.name,
                    ok=plan.ok_count,
                    total=plan.total_rows,
                    contacts=plan.consultation_count,
                    hours=format_hours(lang=lang, minutes=plan.minutes, grouping=False),
                    bad=plan.bad_count,
                )
            )
            if plan.errors and not skip_bad:
                click.echo(_t("would_refuse", lang), err=True)
                sys.exit(2)
            return
        if not plan.rows:
            _list_errors(plan.errors, lang)
            click.echo(_t("nothing", lang), err=True)
            sys.exit(2)
        with _progress(_t("importing", lang), plan.ok_count) as update:
            result = importer.apply_import(desk, org.id, plan, skip_bad=skip_bad, progress=update)
    if result.skipped:
        _list_errors(result.skipped, lang)
        click.echo(_t("skipped", lang, count=len(result.skipped)), err=True)
    click.echo(
        _t(
            "imported",
            lang,
            count=len(result.codes),
            org=org.name,
            contacts=result.consultations,
            first=result.codes[0],
            last=result.codes[-1],
        )
    )
