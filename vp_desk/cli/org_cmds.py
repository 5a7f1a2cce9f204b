"""org add | list | remove | terms."""

from __future__ import annotations

import json

import click

from vp_desk.cli.common import common_options, confirm, guarded, open_desk, say


@click.group()
@common_options
def org() -> None:
    """Client organisations (each in its own encrypted vault)."""


@org.command("add")
@click.argument("name")
@click.option("--employees", type=int, default=0, show_default=True, help="Number of employees.")
@click.option(
    "--threshold",
    type=int,
    default=5,
    show_default=True,
    help="Disclosure threshold k for reports (at least 3).",
)
@click.option(
    "--retention-months",
    type=int,
    default=12,
    show_default=True,
    help="Months to keep a closed case before it is due for destruction.",
)
@click.option(
    "--lang",
    "report_lang",
    type=click.Choice(["nl", "en"]),
    default="nl",
    show_default=True,
    help="Language of this organisation's reports.",
)
@common_options(lang=False)
@guarded
def org_add(
    name: str, employees: int, threshold: int, retention_months: int, report_lang: str
) -> None:
    """Add a client organisation."""
    from vp_desk.domain.models import OrganisationInput

    with open_desk() as desk:
        new = desk.add_organisation(
            OrganisationInput(name, employees, threshold, retention_months, report_lang)
        )
    click.echo(say("org_added", name=new.name, number=new.id))


@org.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@common_options
@guarded
def org_list(as_json: bool) -> None:
    """List organisations: name, employees and open cases."""
    with open_desk() as desk:
        rows = [
            {
                "id": o.id,
                "name": o.name,
                "employees": o.employees,
                "open_cases": desk.open_case_count(o.id),
                "threshold": o.threshold,
                "retention_months": o.retention_months,
                "lang": o.lang,
            }
            for o in desk.organisations()
        ]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(say("no_orgs"))
        return
    name, employees, open_cases = say("col_name"), say("col_employees"), say("col_open_cases")
    width = max([len(name)] + [len(r["name"]) for r in rows])
    wide, wide_open = max(9, len(employees)), max(10, len(open_cases))
    click.echo(f"{name:<{width}}  {employees:>{wide}}  {open_cases:>{wide_open}}")
    for r in rows:
        click.echo(
            f"{r['name']:<{width}}  {r['employees']:>{wide}}  {r['open_cases']:>{wide_open}}"
        )


@org.command("remove")
@click.argument("name")
@click.option("--shred", is_flag=True, help="Required: erase the organisation for good.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@common_options
@guarded
def org_remove(name: str, shred: bool, yes: bool) -> None:
    """Erase an organisation for good (crypto-shredding). Needs --shred."""
    from vp_desk.errors import UsageError

    if not shred:
        raise UsageError(say("need_shred"))
    with open_desk() as desk:
        target = desk.find_organisation(name)
        confirm(say("confirm_shred", name=target.name), yes)
        desk.shred_organisation(target.id)
    click.echo(say("org_shredded", name=target.name))


@org.command("terms")
@click.argument("name")
@click.option("--start", default=None, metavar="DATE", help="First day of the appointment.")
@click.option("--end", default=None, metavar="DATE", help="Last day of the appointment.")
@click.option(
    "--agreed-hours", default=None, metavar="N", help="Hours per year agreed in the appointment."
)
@click.option(
    "--kind",
    type=click.Choice(["internal", "external"]),
    default=None,
    help="Internal or external adviser at this organisation.",
)
@click.option("--clear", is_flag=True, help="Remove every term first.")
@common_options
@guarded
def org_terms(
    name: str,
    start: str | None,
    end: str | None,
    agreed_hours: str | None,
    kind: str | None,
    clear: bool,
) -> None:
    """Show or set the appointment terms (aanstellingsbrief) of an organisation."""
    from vp_desk.services import contracts
    from vp_desk.textsafe import clean_line

    with open_desk() as desk:
        target = desk.find_organisation(name)
        old = contracts.Terms(target.id) if clear else contracts.get_terms(desk, target.id)
        changing = clear or any(v is not None for v in (start, end, agreed_hours, kind))
        if changing:
            old = contracts.set_terms(
                desk,
                target.id,
                start=start if start is not None else old.start,
                end=end if end is not None else old.end,
                agreed_hours=agreed_hours if agreed_hours is not None else old.agreed_hours,
                kind=kind if kind is not None else old.kind,
            )
    labels = [say(k) for k in ("terms_start", "terms_end", "terms_hours", "terms_kind")]
    values = (old.start, old.end, old.agreed_hours, old.kind)
    click.echo(clean_line(target.name))
    for label, value in zip(labels, values):
        click.echo(f"  {label}: {value if value is not None else '-'}")
