"""report | hours.

``vp-desk report ORG --year YYYY [--format md|html|pdf|docx|csv|json] [--out FILE] [--final]``
as in cli.md, plus these flags (documented in ``--help`` and docs):

- ``--signals-file FILE`` / ``--recommendations-file FILE``: set the free-text
  sections from a UTF-8 file (stored encrypted) before the report is made;
- ``--confirm-text``: the adviser has read the personal-data findings in the
  free text and lets it go out as it is;
- ``--withhold-changes``: re-issue a report whose case figures changed after it
  was issued, with every case figure withheld (see the refusal message).

The report is in the organisation's language unless ``--lang`` is given.
Text formats go to standard output without ``--out``; PDF and DOCX need it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from vp_desk.cli.common import common_options, guarded, open_desk, settings

FORMATS = ("md", "html", "pdf", "docx", "csv", "json")


def _read_text_file(path: str | None) -> str | None:
    if path is None:
        return None
    from vp_desk.errors import UsageError

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{Path(path).name} is not UTF-8 text.") from None
    except OSError as exc:
        raise UsageError(f"{Path(path).name} could not be read ({exc.strerror}).") from None


@click.command()
@click.argument("org_name", metavar="ORG", required=False)
@click.option(
    "--year",
    type=int,
    required=True,
    metavar="YYYY",
    help="The year of the report (cases opened in it).",
)
@click.option(
    "--all",
    "all_orgs",
    is_flag=True,
    help="Every organisation's report after one unlock (instead of ORG); needs --out-dir.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="With --all: the folder for the reports (one file per organisation).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (needed for pdf and docx; else standard output).",
)
@click.option("--final", is_flag=True, help="Record the report in the ledger of issued reports.")
@click.option(
    "--confirm-text",
    is_flag=True,
    help="Let the free text go out although it seems to contain personal data.",
)
@click.option(
    "--withhold-changes",
    is_flag=True,
    help="Re-issue with every case figure withheld when they changed since issue.",
)
@click.option(
    "--signals-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Set the 'signals' section from this UTF-8 text file first.",
)
@click.option(
    "--recommendations-file",
    type=click.Path(dir_okay=False),
    default=None,
    help="Set the 'recommendations' section from this UTF-8 text file first.",
)
@common_options
@guarded
def report(
    org_name: str | None,
    year: int,
    all_orgs: bool,
    out_dir: Path | None,
    fmt: str,
    out: Path | None,
    final: bool,
    confirm_text: bool,
    withhold_changes: bool,
    signals_file: str | None,
    recommendations_file: str | None,
) -> None:
    """The annual report of an organisation, with disclosure control."""
    from vp_desk.errors import UsageError
    from vp_desk.services import reporting

    if all_orgs or out_dir is not None:  # h7-desk: every organisation at once
        if org_name or not all_orgs or out is not None or signals_file or recommendations_file:
            raise UsageError(
                "Use either ORG (with --out) or --all with --out-dir; the free-text files "
                "belong to one organisation's report."
            )
        if out_dir is None:
            raise UsageError("--all needs --out-dir DIR.")
        _report_all(year, fmt, out_dir, final, confirm_text, withhold_changes)
        return
    if not org_name:
        raise UsageError("Name the organisation (ORG), or use --all with --out-dir.")
    if fmt in reporting.BINARY_FORMATS and out is None:
        raise UsageError(f"A {fmt.upper()} report needs --out FILE.")
    signals = _read_text_file(signals_file)
    recommendations = _read_text_file(recommendations_file)
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        if signals is not None or recommendations is not None:
            old = reporting.get_texts(desk, org.id, year)
            reporting.save_texts(
                desk,
                org.id,
                year,
                old.signals if signals is None else signals,
                old.recommendations if recommendations is None else recommendations,
            )
        result = reporting.export(
            desk,
            org.id,
            year,
            fmt,
            out,
            lang=settings().lang,
            final=final,
            confirm_text=confirm_text,
            withhold=withhold_changes,
        )
    if out is None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.flush()
    else:
        click.echo(f"Report written to {out}.", err=True)
    if result.withheld:
        click.echo(
            "The case figures were withheld: they changed after the report was issued.", err=True
        )
    if result.ledger == "recorded":
        click.echo(f"Recorded in the ledger of issued reports ({year}).", err=True)
    elif result.ledger == "unchanged":
        click.echo(
            "The ledger already holds these exact figures; nothing new was recorded.", err=True
        )


@click.command()
@click.argument("org_name", metavar="ORG")
@click.option(
    "--from", "start", required=True, metavar="DATE", help="First day (YYYY-MM-DD or D-M-YYYY)."
)
@click.option(
    "--to",
    "end",
    required=True,
    metavar="DATE",
    help="Last day, included (YYYY-MM-DD or D-M-YYYY).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("csv", "md")),
    default="md",
    show_default=True,
    help="Output format.",
)
@common_options
@guarded
def hours(org_name: str, start: str, end: str, fmt: str) -> None:
    """Hours per activity type and on cases over a period, for invoicing."""
    from vp_desk.domain.models import parse_date
    from vp_desk.errors import UsageError
    from vp_desk.services import reporting

    try:
        first, last = parse_date(start), parse_date(end)
    except (ValueError, OverflowError):
        first = last = None
    if first is None or last is None:
        raise UsageError("--from and --to must be dates such as 2026-01-31 or 31-1-2026.")
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        summary = reporting.hours(desk, org.id, first, last, lang=settings().lang)
    sys.stdout.buffer.write(reporting.render_hours(summary, fmt))
    sys.stdout.flush()


def _report_all(
    year: int, fmt: str, out_dir: Path, final: bool, confirm_text: bool, withhold: bool
) -> None:
    """``report --all``: every organisation's report, then what was refused and why.

    Exit 0 when every report was written (withheld ones included: they are
    written and listed), 1 when one or more were refused (the others are
    written all the same).
    """
    from vp_desk.cli.lifecycle_cmds import _progress
    from vp_desk.services.all_reports import export_all
    from vp_desk.textsafe import clean_line

    lang = settings().language
    nl = lang == "nl"
    with open_desk() as desk:
        with _progress("Jaarverslagen" if nl else "Reports") as update:
            results = export_all(
                desk,
                year,
                fmt,
                out_dir,
                lang=settings().lang,
                final=final,
                confirm_text=confirm_text,
                withhold=withhold,
                progress=update,
            )
    written = [r for r in results if r.written]
    refused = [r for r in results if not r.written]
    click.echo(
        f"{len(written)} van {len(results)} jaarverslagen geschreven in {out_dir}."
        if nl
        else f"{len(written)} of {len(results)} reports written to {out_dir}."
    )
    noted = [r for r in written if r.reason]
    if noted:
        click.echo("Let op:" if nl else "Note:")
        for r in noted:
            click.echo(f"  {clean_line(r.organisation)}: {r.reason_text(lang)}")
    if refused:
        click.echo("Niet geschreven:" if nl else "Not written:", err=True)
        for r in refused:
            click.echo(f"  {clean_line(r.organisation)}: {r.reason_text(lang)}", err=True)
        sys.exit(1)
