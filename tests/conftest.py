"""Shared fixtures. Every test uses real SQLCipher files and real Argon2id,
at the security floor of 64 MiB / 3 passes (VP_DESK_KDF=minimum) for speed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

os.environ["VP_DESK_KDF"] = "minimum"
# A missing text key raises in the tests (vp_desk/i18n.py); users see the key.
os.environ["VP_DESK_STRICT_I18N"] = "1"
PASSPHRASE = "correct horse battery staple"

# Drives a real pseudo-terminal (pty, termios): POSIX only. tests/portable.py has
# the rest of what differs on Windows.
collect_ignore = [] if os.name == "posix" else ["reliability/test_terminal.py"]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    monkeypatch.setenv("VP_DESK_KDF", "minimum")
    for var in ("VP_DESK_PASSPHRASE", "VP_DESK_PASSPHRASE_FILE", "VP_DESK_HOME", "VP_DESK_LANG"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def desk(data_dir):
    from vp_desk.services.desk import Desk

    d = Desk.create(data_dir, PASSPHRASE)
    yield d
    if d.vault._index is not None:
        try:
            d.close()
        except Exception:
            pass


@pytest.fixture
def org(desk):
    from vp_desk.domain.models import OrganisationInput

    return desk.add_organisation(OrganisationInput("Stichting Voorbeeld", employees=120))


def run_cli(
    *args: str,
    data_dir: Path | None = None,
    passphrase: str | None = PASSPHRASE,
    env: dict | None = None,
    input: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess:
    """Run ``python -m vp_desk`` as a user would, in a subprocess."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    full_env["VP_DESK_KDF"] = "minimum"
    full_env["VP_DESK_LANG"] = "en"
    full_env["VP_DESK_STRICT_I18N"] = "1"
    if passphrase is not None:
        full_env["VP_DESK_PASSPHRASE"] = passphrase
    if data_dir is not None:
        full_env["VP_DESK_HOME"] = str(data_dir)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "vp_desk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        input=input,
        timeout=timeout,
    )
