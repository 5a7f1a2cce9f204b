"""The ``vp-desk`` command (docs/architecture.md, "Command-line contract").

Subcommands live in their own modules and are imported only when called, so
``vp-desk org list`` never pays for (or imports) Textual, fpdf or openpyxl. A
bare ``vp-desk`` opens the terminal UI.
"""

from __future__ import annotations

import importlib

import click

from vp_desk.cli.common import common_options, run_guarded

#: command name -> "module:attribute" (lazily imported)
COMMANDS: dict[str, str] = {
    "init": "vp_desk.cli.setup_cmds:init",
    "passwd": "vp_desk.cli.setup_cmds:passwd",
    "verify": "vp_desk.cli.setup_cmds:verify",
    "org": "vp_desk.cli.org_cmds:org",
    "case": "vp_desk.cli.case_cmds:case",
    "import": "vp_desk.cli.import_cmd:import_cases",
    "demo": "vp_desk.cli.demo_cmd:demo",
    "report": "vp_desk.cli.report_cmds:report",
    "hours": "vp_desk.cli.report_cmds:hours",
    "backup": "vp_desk.cli.lifecycle_cmds:backup",
    "restore": "vp_desk.cli.lifecycle_cmds:restore",
    "handover": "vp_desk.cli.lifecycle_cmds:handover",
    "retention": "vp_desk.cli.lifecycle_cmds:retention",
}


class LazyGroup(click.Group):
    #: Set on the Dutch copy made in :meth:`main` (vp_desk/cli/dutch.py).
    dutch = False

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Run ``vp-desk``: in Dutch (click's messages and ``--help`` too) when
        ``--lang nl`` is on the command line or the locale is Dutch."""
        import sys

        from vp_desk.cli import dutch
        from vp_desk.cli.common import Settings

        args = list(sys.argv[1:] if args is None else args)
        typed = dutch.argv_language(args, self)
        # The language is known before click parses --lang, for its usage errors.
        extra.setdefault("obj", Settings(lang=typed))
        if self.dutch or (typed or dutch.default_lang()) != "nl":
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        clone = dutch.localised(self, "")
        assert isinstance(clone, LazyGroup)
        clone.dutch = True
        with dutch.click_in_dutch():
            return clone.main(args, prog_name, complete_var, standalone_mode, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name == module_name:  # not built yet
                return None
            raise
        command = getattr(module, attr, None)
        if self.dutch and isinstance(command, click.Command):
            from vp_desk.cli.dutch import localised

            return localised(command, name)
        return command


@click.group(
    cls=LazyGroup,
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@common_options
@click.version_option(package_name="vp-desk", prog_name="vp-desk")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """vp_desk: the confidential adviser's desk (vertrouwenspersoon).

    Without a command, opens the terminal UI on the data folder (the first
    run sets one up). Commands for scripts are listed below; every command
    takes --data-dir, --lang and --passphrase-file.
    """
    if ctx.invoked_subcommand is None:
        from vp_desk.cli.common import settings

        def _open() -> None:
            from vp_desk.tui.launch import run_tui

            run_tui(settings(ctx).data_dir, settings(ctx).lang)

        run_guarded(_open)


def main() -> None:
    cli(prog_name="vp-desk")
