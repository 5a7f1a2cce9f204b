"""org add | list | remove."""

from __future__ import annotations

import json

import click

from vp_desk.cli.common import common_options, confirm, guarded, open_desk


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
    click.echo(f"Added organisation {new.name} (number {new.id}).")


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
        click.echo("No organisations yet. Add one with 'vp-desk org add NAME'.")
        return
    width = max(len(r["name"]) for r in rows)
    click.echo(f"{'name':<{width}}  employees  open cases")
    for r in rows:
        click.echo(f"{r['name']:<{width}}  {r['employees']:>9}  {r['open_cases']:>10}")


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
        raise UsageError(
            "Removing an organisation erases all its cases for good; "
            "add --shred to confirm that this is what you want."
        )
    with open_desk() as desk:
        target = desk.find_organisation(name)
        confirm(f"Erase {target.name} and all its cases for good? This cannot be undone.", yes)
        desk.shred_organisation(target.id)
    click.echo(f"Organisation {target.name} was erased. Older backups may still hold it.")
