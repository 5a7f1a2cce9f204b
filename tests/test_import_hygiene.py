"""Nothing below the UI imports Textual or Rich (docs/architecture.md)."""

import subprocess
import sys

CORE_MODULES = [
    "vp_desk.vocabulary",
    "vp_desk.textsafe",
    "vp_desk.i18n",
    "vp_desk.domain.models",
    "vp_desk.vault.store",
    "vp_desk.vault.keyfile",
    "vp_desk.services.desk",
    "vp_desk.cli",
    "vp_desk.cli.setup_cmds",
    "vp_desk.cli.org_cmds",
    "vp_desk.cli.case_cmds",
    "vp_desk.cli.lifecycle_cmds",
]


def test_core_does_not_import_textual_or_rich():
    code = (
        "import importlib, pkgutil, sys\n"
        f"mods = {CORE_MODULES!r}\n"
        "import vp_desk\n"
        "for sub in ('vp_desk.services', 'vp_desk.reports', 'vp_desk.domain', 'vp_desk.vault'):\n"
        "    try:\n"
        "        pkg = importlib.import_module(sub)\n"
        "    except ModuleNotFoundError:\n"
        "        continue\n"
        "    mods += [m.name for m in pkgutil.walk_packages(pkg.__path__, sub + '.')]\n"
        "for m in mods:\n"
        "    importlib.import_module(m)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_org_list_command_does_not_import_textual(tmp_path):
    code = (
        "import sys\n"
        "from vp_desk.cli import cli\n"
        "try:\n"
        "    cli(['--data-dir', sys.argv[1], 'org', 'list'], standalone_mode=False)\n"
        "except BaseException:\n"
        "    pass\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
