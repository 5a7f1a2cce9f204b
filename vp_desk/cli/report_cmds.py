"""report | hours.

``vp-desk report ORG --year YYYY [--format md|html|pdf|docx|csv|json] [--out FILE] [--final]``
as in docs/en/commands.md, plus these flags (documented in ``--help`` and docs):

- ``--signals-file FILE`` / ``--recommendations-file FILE``: set the free-text
  sections from a UTF-8 file (stored encrypted) before the report is made;
- ``--confirm-text``: the adviser has read the personal-data findings in the
  free text and lets it go out as it is;
- ``--withhold-changes``: re-issue a report whose case figures changed after
  an earlier written report, with every case figure withheld;
- ``--force``: replace an existing ``--out`` file (refused without it);
- ``--forget-drafts --yes``: remove the year's drafts from the ledger, for
  drafts that never left the desk (an audit row records it).

Every written report counts - draft or final, to a file or to standard
output - and is recorded in the ledger; a draft is marked as one.

``vp-desk hours ORG --from DATE --to DATE`` is the adviser's own detailed view;
``--invoice`` gives the specification for the employer (whole months, half
hours, checked against earlier ones). ``--disclose-case-hours yes|no`` and
``--invoice-split yes|no`` store the organisation's choices.

The report is in the organisation's language unless ``--lang`` is given.
Text formats go to standard output without ``--out``; PDF and DOCX need it.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from vp_desk.cli.common import YEAR, common_options, guarded, open_desk, settings
from vp_desk.i18n import lookup, message, os_reason, register

FORMATS = ("md", "html", "pdf", "docx", "csv", "json")

#: What these commands say themselves, in Dutch and English (``_say``).
MESSAGES: dict[str, tuple[str, str]] = {
    "stdout_closed": (
        "De standaarduitvoer is gesloten, dus de uitvoer kan nergens heen; geef --out BESTAND. "
        "Er is niets geschreven.",
        "Standard output is closed, so the output has nowhere to go; give --out FILE. "
        "Nothing was written.",
    ),
    "confirm_yes": (
        "Bevestig met --yes; er is niets verwijderd.",
        "Confirm with --yes; nothing was removed.",
    ),
    "forget_question": (
        "De concepten van {year} uit het grootboek halen? Doe dit alleen als geen ervan uw "
        "bureau heeft verlaten.",
        "Remove the drafts of {year} from the ledger? Only do this if none of them left your desk.",
    ),
    "nothing_removed": ("Er is niets verwijderd.", "Nothing was removed."),
    "forgotten": (
        "{count} concept(en) van {year} uit het grootboek gehaald.",
        "{count} draft(s) of {year} removed from the ledger.",
    ),
    "report_written": ("Verslag geschreven naar {out}.", "Report written to {out}."),
    "recorded_final": (
        "Vastgelegd in het grootboek van geschreven verslagen ({year}, definitief).",
        "Recorded in the ledger of written reports ({year}, final).",
    ),
    # h16-dutchcli
    "figures_withheld": (
        "De cijfers over meldingen zijn achtergehouden: ze veranderden nadat het verslag was "
        "uitgegeven.",
        "The case figures were withheld: they changed after the report was issued.",
    ),
    "ledger_unchanged": (
        "Het grootboek bevat al precies deze cijfers; er is niets nieuws vastgelegd.",
        "The ledger already holds these exact figures; nothing new was recorded.",
    ),
    "recorded_draft": (
        "Vastgelegd in het grootboek van geschreven verslagen ({year}, concept, als zodanig "
        "gemarkeerd).",
        "Recorded in the ledger of written reports ({year}, draft, marked as such).",
    ),
    "choices": (
        "Uren aan meldingen bekendmaken: {disclose}; meldingen en preventie apart op de "
        "specificatie: {split}.",
        "Casework hours disclosed: {disclose}; invoice split: {split}.",
    ),
    "yes": ("ja", "yes"),
    "not_utf8": ("{name} is geen UTF-8-tekst.", "{name} is not UTF-8 text."),
    "unreadable": (
        "{name} kon niet worden gelezen ({reason}).",
        "{name} could not be read ({reason}).",
    ),
    "org_or_all": (
        "Gebruik ORG (met --out) of --all met --out-dir; de bestanden met vrije tekst horen "
        "bij het verslag van één organisatie.",
        "Use either ORG (with --out) or --all with --out-dir; the free-text files belong to "
        "one organisation's report.",
    ),
    "all_needs_dir": ("--all heeft --out-dir MAP nodig.", "--all needs --out-dir DIR."),
    "name_org": (
        "Noem de organisatie (ORG), of gebruik --all met --out-dir.",
        "Name the organisation (ORG), or use --all with --out-dir.",
    ),
    "needs_out": (
        "Een {fmt}-verslag heeft --out BESTAND nodig.",
        "A {fmt} report needs --out FILE.",
    ),
    "bad_period": (
        "--from en --to moeten datums zijn zoals 2026-01-31 of 31-1-2026.",
        "--from and --to must be dates such as 2026-01-31 or 31-1-2026.",
    ),
    "note": ("Let op:", "Note:"),
    "reports_progress": ("Jaarverslagen", "Reports"),
    "reports_written": (
        "{done} van {total} jaarverslagen geschreven in {out_dir}.",
        "{done} of {total} reports written to {out_dir}.",
    ),
    "not_written": ("Niet geschreven:", "Not written:"),
    "no": ("nee", "no"),
    "need_period": (
        "Geef de periode met --from DATUM en --to DATUM.",
        "Give the period with --from DATE and --to DATE.",
    ),
    "written": ("Geschreven naar {out}.", "Written to {out}."),
    "invoice_recorded": (
        "Vastgelegd bij de eerdere urenspecificaties.",
        "Recorded with the earlier invoice specifications.",
    ),
}

register("vp_desk.cli.report_cmds", MESSAGES)


def _say(key: str, **params: object) -> str:
    try:
        lang = settings().language
    except RuntimeError:  # outside a command
        lang = "en"
    return lookup(MESSAGES, key, lang, **params)


def _check_stdout() -> None:
    """Refuse before anything is done when there is no standard output to write to."""
    from vp_desk.errors import UsageError

    try:
        os.fstat(sys.stdout.fileno())
    except (AttributeError, OSError, ValueError):
        raise UsageError(_say("stdout_closed")) from None


def _write_stdout(data: bytes) -> None:
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except (AttributeError, ValueError, OSError) as exc:
        if isinstance(exc, OSError) and exc.errno != errno.EBADF:
            raise
        from vp_desk.errors import UsageError

        raise UsageError(_say("stdout_closed")) from None


def _read_text_file(path: str | None) -> str | None:
    if path is None:
        return None
    from vp_desk.errors import UsageError

    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(_say("not_utf8", name=Path(path).name)) from None
    except OSError as exc:
        raise UsageError(
            _say("unreadable", name=Path(path).name, reason=os_reason(exc, settings().language))
        ) from None


@click.command()
@click.argument("org_name", metavar="ORG", required=False)
@click.option(
    "--year",
    type=YEAR,
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
@click.option(
    "--final",
    is_flag=True,
    help="Mark the report final (without it: a draft, marked CONCEPT/DRAFT; both are recorded).",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--forget-drafts",
    is_flag=True,
    help="Remove this year's drafts from the ledger (only drafts that never left the desk).",
)
@click.option("--yes", is_flag=True, help="Confirm --forget-drafts without asking.")
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
    force: bool,
    forget_drafts: bool,
    yes: bool,
    confirm_text: bool,
    withhold_changes: bool,
    signals_file: str | None,
    recommendations_file: str | None,
) -> None:
    """The annual report of an organisation, with disclosure control."""
    from vp_desk.errors import UsageError
    from vp_desk.services import reporting

    if forget_drafts:
        if not yes:
            if not sys.stdin.isatty():
                raise UsageError(_say("confirm_yes"))
            try:
                answer = click.confirm(_say("forget_question", year=year), default=False, err=True)
            except click.Abort:
                answer = False
            if not answer:
                raise UsageError(_say("nothing_removed"))
        with open_desk() as desk:
            org = desk.find_organisation(org_name)
            count = reporting.forget_drafts(desk, org.id, year, confirm=True)
        click.echo(_say("forgotten", count=count, year=year), err=True)
        return
    if all_orgs or out_dir is not None:  # h7-desk: every organisation at once
        if org_name or not all_orgs or out is not None or signals_file or recommendations_file:
            raise UsageError(_say("org_or_all"))
        if out_dir is None:
            raise UsageError(_say("all_needs_dir"))
        _report_all(year, fmt, out_dir, final, confirm_text, withhold_changes)
        return
    if not org_name:
        raise UsageError(_say("name_org"))
    if fmt in reporting.BINARY_FORMATS and out is None:
        raise UsageError(_say("needs_out", fmt=fmt.upper()))
    if out is None:
        _check_stdout()
    else:
        reporting.check_out_path(out, force=force)
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
            force=force,
        )
    if out is None:
        _write_stdout(result.data)
    else:
        click.echo(_say("report_written", out=out), err=True)
    if result.withheld:
        click.echo(_say("figures_withheld"), err=True)
    if result.ledger == "recorded":
        click.echo(_say("recorded_final" if final else "recorded_draft", year=year), err=True)
    elif result.ledger == "unchanged":
        click.echo(_say("ledger_unchanged"), err=True)


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


@click.command()
@click.argument("org_name", metavar="ORG")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD or D-M-YYYY).")
@click.option("--to", "end", metavar="DATE", help="Last day, included (YYYY-MM-DD or D-M-YYYY).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(("csv", "md")),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--invoice",
    is_flag=True,
    help="The specification for the employer: whole months, half hours, checked and recorded.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (else standard output).",
)
@click.option("--force", is_flag=True, help="Replace an existing --out file.")
@click.option(
    "--disclose-case-hours",
    type=click.Choice(("yes", "no")),
    default=None,
    help="Store the choice to disclose this organisation's casework hours (reports, invoices).",
)
@click.option(
    "--invoice-split",
    type=click.Choice(("yes", "no")),
    default=None,
    help="Store the choice to show casework and prevention separately on invoices.",
)
@common_options
@guarded
def hours(
    org_name: str,
    start: str | None,
    end: str | None,
    fmt: str,
    invoice: bool,
    out: Path | None,
    force: bool,
    disclose_case_hours: str | None,
    invoice_split: str | None,
) -> None:
    """Hours over a period: your own detailed view, or an invoice specification."""
    from vp_desk.domain.models import parse_date
    from vp_desk.errors import UsageError
    from vp_desk.services import reporting

    choices = (_yes_no(disclose_case_hours), _yes_no(invoice_split))
    if start is None and end is None and choices != (None, None):
        with open_desk() as desk:
            org = desk.find_organisation(org_name)
            if choices[0] is not None:
                reporting.set_disclose_case_hours(desk, org.id, choices[0])
            if choices[1] is not None:
                reporting.set_invoice_split(desk, org.id, choices[1])
            now = (
                reporting.disclose_case_hours(desk, org.id),
                reporting.invoice_split(desk, org.id),
            )
        click.echo(
            _say(
                "choices",
                disclose=_say("yes" if now[0] else "no"),
                split=_say("yes" if now[1] else "no"),
            ),
            err=True,
        )
        return
    if start is None or end is None:
        raise UsageError(_say("need_period"))
    try:
        first, last = parse_date(start), parse_date(end)
    except (ValueError, OverflowError):
        first = last = None
    if first is None or last is None:
        raise UsageError(_say("bad_period"))
    if out is None:
        _check_stdout()
    else:
        reporting.check_out_path(out, force=force)
    status = None
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        if choices[0] is not None:
            reporting.set_disclose_case_hours(desk, org.id, choices[0])
        if choices[1] is not None:
            reporting.set_invoice_split(desk, org.id, choices[1])
        if invoice:
            spec = reporting.invoice(desk, org.id, first, last, lang=settings().lang)
            data = reporting.render_invoice(spec, fmt)
            status = reporting.record_invoice(desk, org.id, spec)
            desk.record_event(org.id, "hours.invoice", f"{first.isoformat()}..{last.isoformat()}")
        else:
            summary = reporting.hours(desk, org.id, first, last, lang=settings().lang)
            data = reporting.render_hours(summary, fmt)
    if out is None:
        _write_stdout(data)
    else:
        from vp_desk.services.storage import atomic_write

        atomic_write(out, data, what=message("what_hours_file"))
        click.echo(_say("written", out=out), err=True)
    if status == "recorded":
        click.echo(_say("invoice_recorded"), err=True)


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
    with open_desk() as desk:
        with _progress(_say("reports_progress")) as update:
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
    click.echo(_say("reports_written", done=len(written), total=len(results), out_dir=out_dir))
    noted = [r for r in written if r.reason]
    if noted:
        click.echo(_say("note"))
        for r in noted:
            click.echo(f"  {clean_line(r.organisation)}: {r.reason_text(lang)}")
    if refused:
        click.echo(_say("not_written"), err=True)
        for r in refused:
            click.echo(f"  {clean_line(r.organisation)}: {r.reason_text(lang)}", err=True)
        sys.exit(1)
