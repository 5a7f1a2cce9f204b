"""demo [--data-dir DIR] [--no-tui] (docs/en/commands.md)."""

from __future__ import annotations

from pathlib import Path

import click

from vp_desk.cli.common import common_options, guarded, settings
from vp_desk.i18n import lookup, register

TEXT = {
    "created": (
        "Demodatamap aangemaakt met fictieve organisaties en zaken: {path}",
        "Created a demo data folder with fictional organisations and cases: {path}",
    ),
    "reused": (
        "De bestaande demodatamap wordt gebruikt: {path}",
        "Using the existing demo data folder: {path}",
    ),
    "rebuilt": (
        "Een onderbroken demodatamap is opnieuw opgebouwd: {path}",
        "An interrupted demo data folder was built again: {path}",
    ),
    "passphrase": ("Wachtzin: {passphrase}", "Passphrase: {passphrase}"),
    "no_tui": (
        "De terminalinterface is in deze versie nog niet beschikbaar. Gebruik de "
        "demodatamap met bijvoorbeeld: vp-desk --data-dir {path} org list",
        "The terminal UI is not available in this version yet. Use the demo "
        "folder with, for example: vp-desk --data-dir {path} org list",
    ),
}


register("vp_desk.cli.demo_cmd", TEXT)


def _t(key: str, lang: str, **params: object) -> str:
    return lookup(TEXT, key, lang, **params)


@click.command()
@click.option("--no-tui", is_flag=True, help="Only create (or reuse) the demo folder.")
@common_options
@guarded
def demo(no_tui: bool) -> None:
    """Create (or reuse) a demo data folder with synthetic data and open it.

    Three fictional organisations with two years of cases, contact moments and
    prevention work. The passphrase is always 'vertrouwelijk-demo'. The folder
    is separate from your own data unless --data-dir or VP_DESK_HOME says otherwise.
    """
    from vp_desk.services import synthetic

    lang = settings().language
    path = Path(settings().data_dir or synthetic.demo_data_dir()).expanduser().absolute()
    done = synthetic.ensure_demo_folder(path)
    click.echo(_t(done, lang, path=path))
    click.echo(_t("passphrase", lang, passphrase=synthetic.DEMO_PASSPHRASE))
    if no_tui:
        return
    try:
        from vp_desk.tui.launch import run_tui
    except ModuleNotFoundError as exc:
        if exc.name not in ("vp_desk.tui.launch", "textual"):
            raise
        click.echo(_t("no_tui", lang, path=path))
        return
    run_tui(path, lang)
