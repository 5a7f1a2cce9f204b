"""case list | export | delete | destroy."""

from __future__ import annotations

import json
from pathlib import Path

import click

from vp_desk.cli.common import YEAR, common_options, guarded, language, open_desk, settings
from vp_desk.i18n import Text, lookup, register

#: What the case commands say, in Dutch and English (vp_desk/i18n.py).
TEXT: dict[str, tuple[Text, Text]] = {
    "stdout_closed": (
        "Standaarduitvoer is gesloten; geef een bestand met --out. Er is niets geschreven.",
        "Standard output is closed; give a file with --out. Nothing was written.",
    ),
    "to_file": ("naar {path}", "to {path}"),
    "on_screen": ("op het scherm", "on the screen"),
    "confirm_export": (
        "Dit toont melding {code} met al haar notities {where}, leesbaar zonder de wachtzin. "
        "Geef het alleen aan de melder die erom vroeg. Doorgaan?",
        "This shows case {code} with all its notes {where}, readable without the "
        "passphrase. Give it only to the melder who asked for it. Continue?",
    ),
    "stdout_failed": (
        "Het dossier kon niet naar standaarduitvoer worden geschreven (een volle schijf of "
        "gesloten uitvoer); er is niets vastgelegd.",
        "The dossier could not be written to standard output (a full disk or a closed "
        "output); nothing was recorded.",
    ),
    "dossier_written": (
        "Dossier {code} geschreven naar {path}. Het is niet versleuteld: bewaar het veilig en "
        "verwijder het zodra het is overhandigd.",
        "Dossier {code} written to {path}. It is not encrypted: keep it safe and delete it "
        "once handed over.",
    ),
    "confirm_delete": (
        "Casus {code} volledig verwijderen, met al zijn contactmomenten? Hij telt daarna in "
        "geen enkel verslag meer mee. Doorgaan?",
        "Delete case {code} with all its contact moments for good? It will no longer count "
        "in any report. Continue?",
    ),
    "deleted": (
        "Casus {code} is verwijderd (vastgelegd in de audittrail).",
        "Case {code} was deleted (recorded in the audit trail).",
    ),
    "confirm_destroy": (
        "De notities van casus {code} en van al zijn contactmomenten nu vernietigen? Alleen "
        "de gecodeerde gegevens blijven voor de statistiek. Doorgaan?",
        "Destroy the notes of case {code} and of all its contact moments now? Only the coded "
        "fields stay, for the statistics. Continue?",
    ),
    "destroyed": (
        "De notities van casus {code} zijn vernietigd; de gecodeerde gegevens blijven.",
        "The notes of case {code} were destroyed; the coded fields stay.",
    ),
}
register("vp_desk.cli.case_cmds", TEXT)


def _say(key: str, /, **params: object) -> str:
    return lookup(TEXT, key, language(), **params)


@click.group()
@common_options
def case() -> None:
    """Cases of one organisation."""


@case.command("list")
@click.argument("org_name", metavar="ORG")
@click.option("--year", type=YEAR, default=None, help="Only cases opened in this year.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@common_options
@guarded
def case_list(org_name: str, year: int | None, as_json: bool) -> None:
    """Case codes, dates, status and primary behaviour; never notes."""
    from vp_desk import vocabulary as voc
    from vp_desk.services.desk import CaseFilter

    lang = settings().language
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        cases = desk.list_cases(org.id, CaseFilter(year=year))
    rows = [
        {
            "code": c.code,
            "opened": c.opened.isoformat(),
            "closed": c.closed.isoformat() if c.closed else None,
            "status": c.status,
            "primary_behaviour": c.primary_behaviour,
        }
        for c in reversed(cases)
    ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        behaviour = voc.label("behaviour", r["primary_behaviour"] or "", lang)
        status = voc.label("status", r["status"], lang)
        click.echo(f"{r['code']}  {r['opened']}  {r['closed'] or '':<10}  {status:<8}  {behaviour}")


@case.command("export")
@click.argument("org_name", metavar="ORG")
@click.argument("code")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["md", "pdf"]),
    default="md",
    show_default=True,
    help="Markdown or PDF.",
)
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file (default: Markdown to the screen, PDF to dossier-CODE.pdf).",
)
@click.option("--yes", is_flag=True, help="Do not warn and ask first.")
@click.option("--force", is_flag=True, help="Overwrite the file given with --out if it exists.")
@common_options
@guarded
def case_export(
    org_name: str, code: str, fmt: str, out: Path | None, yes: bool, force: bool
) -> None:
    """One dossier with all its notes, for a melder's access request (AVG art. 15)."""
    from vp_desk.cli.common import (
        confirm,
        refuse_existing,
        show_on_stdout,
        silence_stdout,
        stdout_open,
    )
    from vp_desk.errors import UsageError
    from vp_desk.services import dossier

    lang = settings().language
    if out is not None:
        refuse_existing(out, force)
    elif fmt == "md" and not stdout_open():
        raise UsageError(_say("stdout_closed"))
    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        case = desk.find_case(org.id, code)
        if out is None and fmt == "pdf":
            out = Path(dossier.default_name(case.code, fmt))
        if out is not None:
            refuse_existing(out, force)
        where = _say("to_file", path=out) if out else _say("on_screen")
        confirm(_say("confirm_export", code=case.code, where=where), yes)
        if out is None:
            data = dossier.render(desk, org.id, case.id, fmt, lang)
            # Shown first, recorded only once it got there: a closed or full
            # output records no export that never happened.
            try:
                show_on_stdout(data.decode("utf-8"))
            except (OSError, ValueError) as exc:
                silence_stdout()
                raise UsageError(_say("stdout_failed")) from exc
            dossier.record_export(desk, org.id, case.code, fmt)
            return
        path = dossier.export_dossier(desk, org.id, case.id, fmt, out, lang)
    click.echo(_say("dossier_written", code=case.code, path=path))


@case.command("delete")
@click.argument("org_name", metavar="ORG")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@guarded
def case_delete(org_name: str, code: str, yes: bool) -> None:
    """Delete a case logged by mistake: gone, and never counted in any report."""
    from vp_desk.cli.common import confirm
    from vp_desk.services import erasure

    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        found = desk.find_case(org.id, code)
        confirm(_say("confirm_delete", code=found.code), yes)
        erasure.delete_case(desk, org.id, found.id)
    click.echo(_say("deleted", code=found.code))


@case.command("destroy")
@click.argument("org_name", metavar="ORG")
@click.argument("code")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@guarded
def case_destroy(org_name: str, code: str, yes: bool) -> None:
    """Destroy a case's notes now, at the melder's request (AVG art. 17)."""
    from datetime import date

    from vp_desk.cli.common import confirm
    from vp_desk.services import erasure

    with open_desk() as desk:
        org = desk.find_organisation(org_name)
        found = desk.find_case(org.id, code)
        confirm(_say("confirm_destroy", code=found.code), yes)
        erasure.destroy_on_request(desk, org.id, found.id, date.today())
    click.echo(_say("destroyed", code=found.code))
