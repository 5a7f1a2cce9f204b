"""case list | export."""

from __future__ import annotations

import json

import click

from vp_desk.cli.common import common_options, guarded, open_desk, settings


@click.group()
@common_options
def case() -> None:
    """Cases of one organisation."""


@case.command("list")
@click.argument("org_name", metavar="ORG")
@click.option("--year", type=int, default=None, help="Only cases opened in this year.")
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
    rows = [{"code": c.code, "opened": c.opened.isoformat(),
             "closed": c.closed.isoformat() if c.closed else None, "status": c.status,
             "primary_behaviour": c.primary_behaviour} for c in reversed(cases)]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        behaviour = voc.label("behaviour", r["primary_behaviour"] or "", lang)
        status = voc.label("status", r["status"], lang)
        click.echo(f"{r['code']}  {r['opened']}  {r['closed'] or '':<10}  {status:<8}  {behaviour}")
