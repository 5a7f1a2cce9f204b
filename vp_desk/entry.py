"""The ``vp-desk`` entry point: a bare ``vp-desk`` opens the app without loading click.

``vp-desk`` with nothing but ``--data-dir`` and ``--lang`` (the way the app is
started) goes straight to the terminal UI; everything else - every command,
``--help``, ``--version``, a value click would refuse, shell completion - goes
to the click command line in ``vp_desk.cli``, which behaves exactly as before.
Importing click and building its command tree costs ~7-10 ms before the unlock
screen (docs/performance.md, issue 13); the shortcut accepts only what click
would accept with the same result, and an error escaping the app is reported by
the command line's own handler (``run_guarded``), in the same words and with the
same exit code.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

#: The --lang choices of the command line (vp_desk/cli/common.py).
_LANGS = ("nl", "en")
#: The environment variable click reads for --data-dir.
_HOME_VAR = "VP_DESK_HOME"
#: Set by a shell asking click for completions (``_<PROG>_COMPLETE``).
_COMPLETE_VAR = "_VP_DESK_COMPLETE"


def main() -> None:
    """Run ``vp-desk`` with ``sys.argv``."""
    args = sys.argv[1:]
    bare = bare_app_options(args, os.environ)
    if bare is None:
        from vp_desk.cli import main as cli_main

        cli_main()
        return
    data_dir, lang = bare
    from vp_desk.tui.launch import run_tui

    try:
        run_tui(data_dir, lang)
    except (Exception, KeyboardInterrupt) as exc:
        _report_as_the_command_line(data_dir, lang, exc)


def bare_app_options(
    args: Sequence[str], environ: Mapping[str, str]
) -> tuple[Path | None, str | None] | None:
    """(data folder, language) when ``args`` only open the app, else None (ask click).

    None for anything but ``--data-dir DIR`` and ``--lang nl|en`` (each at most
    once, as two words or with ``=``), for a data folder click would refuse or
    read differently (a file, an unreadable folder, an empty value) and for a
    shell's completion request.
    """
    if environ.get(_COMPLETE_VAR):
        return None
    values: dict[str, str] = {}
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, value = arg.partition("=")
        if name not in ("--data-dir", "--lang") or name in values:
            return None
        if not eq:
            if i + 1 >= len(args):
                return None
            value = args[i + 1]
            i += 1
        values[name] = value
        i += 1
    lang = values.get("--lang")
    if lang is not None and lang not in _LANGS:
        return None
    raw = values.get("--data-dir")
    if raw is None:
        raw = environ.get(_HOME_VAR) or None  # click ignores an empty variable
    if raw is None:
        return None if _HOME_VAR in environ else (None, lang)
    if not raw or any(c in raw for c in "*?[") or raw.startswith("-"):
        return None  # click's own reading (Windows wildcards, option-like values)
    try:
        st = os.stat(raw)
    except OSError:
        return Path(raw), lang  # not there yet: the app offers to set it up
    if not stat.S_ISDIR(st.st_mode) or not os.access(raw, os.R_OK):
        return None  # click refuses it with its own message
    return Path(raw), lang


def _report_as_the_command_line(
    data_dir: Path | None, lang: str | None, exc: BaseException
) -> None:
    """Report an error that escaped the app exactly as ``vp-desk`` through click would:
    ``run_guarded`` inside a context holding the settings the options gave."""
    import click

    from vp_desk.cli import cli
    from vp_desk.cli.common import Settings, run_guarded

    def again() -> None:
        raise exc

    with click.Context(cli, info_name="vp-desk", obj=Settings(data_dir=data_dir, lang=lang)):
        run_guarded(again)
    raise exc  # pragma: no cover - run_guarded exits or raises
