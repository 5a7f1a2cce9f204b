"""The documentation matches the program.

- every ``vp-desk <command> [<subcommand>]`` written in README.md or docs/**/*.md
  exists in the click command tree, and every ``--option`` written after it is
  an option of that command;
- every command and subcommand has a help text, every option a help string;
- relative links between the documentation files point to files that exist;
- what the docs promise about the data folder option holds.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from tests.conftest import PASSPHRASE, run_cli

ROOT = Path(__file__).resolve().parent.parent


def test_data_dir_before_the_command_wins_over_vp_desk_home(tmp_path):
    """docs: "--data-dir overrides VP_DESK_HOME", also when typed before the command."""
    from vp_desk.services.desk import Desk

    chosen, other = tmp_path / "chosen", tmp_path / "other"
    Desk.create(chosen, PASSPHRASE).close()
    result = run_cli("--data-dir", str(chosen), "org", "list", env={"VP_DESK_HOME": str(other)})
    assert result.returncode == 0, result.stderr
    assert "No organisations yet" in result.stdout
    assert not other.exists()
