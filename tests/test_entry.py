"""The ``vp-desk`` entry point (vp_desk/entry.py): a bare ``vp-desk`` opens the app
without loading click, and everything else behaves exactly as the click command line.

Issue 13 (start-up): click and filelock were ~15 ms of the start to the unlock screen.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.entry import bare_app_options
from vp_desk.services.desk import Desk


@pytest.mark.parametrize(
    ("args", "environ", "expected"),
    [
        ([], {}, (None, None)),
        (["--lang", "en"], {}, (None, "en")),
        (["--lang=nl"], {}, (None, "nl")),
        (["--data-dir", "{d}", "--lang", "en"], {}, ("{d}", "en")),
        (["--lang", "en", "--data-dir={d}"], {}, ("{d}", "en")),
        ([], {"VP_DESK_HOME": "{d}"}, ("{d}", None)),
        (["--data-dir", "{d}"], {"VP_DESK_HOME": "{d}/other"}, ("{d}", None)),
        (["--data-dir", "{d}/not-yet"], {}, ("{d}/not-yet", None)),
    ],
)
def test_what_only_opens_the_app_goes_straight_to_it(tmp_path, args, environ, expected):
    def fill(text: str) -> str:
        return text.replace("{d}", str(tmp_path))

    folder, lang = expected
    got = bare_app_options([fill(a) for a in args], {k: fill(v) for k, v in environ.items()})
    assert got == (Path(fill(folder)) if folder else None, lang)


@pytest.mark.parametrize(
    ("args", "environ"),
    [
        (["org", "list"], {}),
        (["demo"], {}),
        (["--help"], {}),
        (["-h"], {}),
        (["--version"], {}),
        (["--lang", "de"], {}),
        (["--lang", "EN"], {}),
        (["--lang"], {}),
        (["--lang", "en", "--lang", "nl"], {}),
        (["--data-dir", ""], {}),
        (["--data-dir", "{file}"], {}),
        (["--passphrase-file", "{file}"], {}),
        (["--data-dir", "{d}", "--", "x"], {}),
        ([], {"VP_DESK_HOME": ""}),
        ([], {"VP_DESK_HOME": "{file}"}),
        ([], {"_VP_DESK_COMPLETE": "bash_complete"}),
    ],
)
def test_everything_else_goes_to_the_click_command_line(tmp_path, args, environ):
    file = tmp_path / "a-file"
    file.write_text("x")

    def fill(text: str) -> str:
        return text.replace("{d}", str(tmp_path)).replace("{file}", str(file))

    assert (
        bare_app_options([fill(a) for a in args], {k: fill(v) for k, v in environ.items()}) is None
    )


def _through_click(*args: str, env: dict) -> subprocess.CompletedProcess:
    """The same command through ``vp_desk.cli.main`` (the click entry point as it was)."""
    return subprocess.run(
        [sys.executable, "-c", "import sys; from vp_desk.cli import main; main()", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.mark.parametrize(
    "args",
    [
        ("--help",),
        ("--version",),
        ("--lang", "de"),
        ("--lang", "nl", "--data-dir", "{file}"),
        ("--data-dir", "{file}"),
        ("nonsense",),
        ("org", "list"),
        ("--lang", "nl", "org", "list"),
    ],
)
def test_the_command_line_answers_as_before(tmp_path, args):
    folder = tmp_path / "data"
    Desk.create(folder, PASSPHRASE).close()
    file = tmp_path / "a-file"
    file.write_text("x")
    args = tuple(a.replace("{file}", str(file)) for a in args)
    new = run_cli(*args, data_dir=folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        VP_DESK_KDF="minimum",
        VP_DESK_LANG="en",
        VP_DESK_STRICT_I18N="1",
        VP_DESK_PASSPHRASE=PASSPHRASE,
        VP_DESK_HOME=str(folder),
    )
    old = _through_click(*args, env=env)
    assert (new.returncode, new.stdout, new.stderr) == (old.returncode, old.stdout, old.stderr)
    assert "Traceback" not in new.stderr


def test_the_app_path_loads_neither_click_nor_filelock(tmp_path):
    """What a bare ``vp-desk`` does up to its unlock screen (issue 13, start-up): no
    click, filelock, crypto or SQLCipher, and no second parse of the stylesheet."""
    folder = tmp_path / "data"
    Desk.create(folder, PASSPHRASE).close()
    # The unlock screen starts loading the desk's screens 0.25 s after it shows
    # (preload_desk_screens); what is loaded then is what the start paid for.
    code = (
        "import asyncio, sys\n"
        "from vp_desk.entry import bare_app_options\n"
        "data_dir, lang = bare_app_options(sys.argv[1:], {})\n"
        "from vp_desk.tui.app import VpDeskApp\n"
        "from vp_desk.tui.screens import unlock\n"
        "seen = []\n"
        "unlock.preload_desk_screens = lambda: seen.append(set(sys.modules))\n"
        "reparsed = []\n"
        "async def start():\n"
        "    app = VpDeskApp(data_dir, lang)\n"
        "    reparse = app.stylesheet.reparse\n"
        "    app.stylesheet.reparse = lambda: (reparsed.append(1), reparse())\n"
        "    async with app.run_test(size=(120, 36)) as pilot:\n"
        "        while not seen:\n"
        "            await pilot.pause(0.05)\n"
        "        assert type(app.screen).__name__ == 'UnlockScreen', app.screen\n"
        "        assert app.folder.lock.held\n"
        "asyncio.run(start())\n"
        "loaded = sorted(m for m in seen[0] if m.split('.')[0] in\n"
        "    ('click', 'filelock', 'cryptography', 'sqlcipher3'))\n"
        "assert not loaded, loaded\n"
        "assert not reparsed, 'the whole stylesheet was parsed twice'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "--data-dir", str(folder), "--lang", "en"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("what", ["already_running", "interrupted"])
def test_an_error_escaping_the_app_is_reported_as_the_command_line_does(
    tmp_path, monkeypatch, capsys, what
):
    """The bare path hands an error that leaves the app to the command line's own
    handler: one sentence in the chosen language, the documented exit code."""
    import vp_desk.tui.launch
    from vp_desk import entry
    from vp_desk.cli.common import MESSAGES
    from vp_desk.errors import AlreadyRunning
    from vp_desk.i18n import lookup

    def fail(data_dir, lang):
        assert (data_dir, lang) == (tmp_path, "nl")
        if what == "interrupted":
            raise KeyboardInterrupt
        raise AlreadyRunning(str(data_dir))

    monkeypatch.setattr(vp_desk.tui.launch, "run_tui", fail)
    monkeypatch.setattr(sys, "argv", ["vp-desk", "--data-dir", str(tmp_path), "--lang", "nl"])
    with pytest.raises(SystemExit) as exit_info:
        entry.main()
    err = capsys.readouterr().err
    if what == "interrupted":
        assert exit_info.value.code == 130
        assert err.strip() == lookup(MESSAGES, "interrupted", "nl")
    else:
        assert exit_info.value.code == AlreadyRunning.exit_code == 1
        assert err.strip() == AlreadyRunning(str(tmp_path)).text("nl")
