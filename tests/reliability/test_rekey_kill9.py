"""kill -9 during passphrase changes and shreds (issue 11, item 4).

A child (tests/reliability/rekey_child.py) changes the passphrase back and
forth, or adds and shreds organisations, until it is SIGKILLed at a random
moment. After each kill the folder must open with exactly one of the two
passphrases, pass ``verify``, hold no ``.rekey`` leftover and one key-file
generation in both copies, and no page of any file may decrypt under the key
of an organisation whose shred had begun.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.reliability.pages_scan import decryptable_pages
from tests.reliability.rekey_child import KEEP, MARK, PASSPHRASES
from tests.stress.kill9_lib import ROOT, _Reader, child_env
from vp_desk.errors import WrongPassphrase
from vp_desk.vault.keyfile import CURRENT, PREVIOUS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

PASSWD_ITERATIONS = 10
SHRED_ITERATIONS = 10


def _setup(folder: Path) -> None:
    from vp_desk.domain.models import OrganisationInput
    from vp_desk.services.desk import Desk

    with Desk.create(folder, PASSPHRASES[0]) as desk:
        desk.add_organisation(OrganisationInput(KEEP))


def _kill_child(mode: str, folder: Path, rng: random.Random, max_delay: float) -> list[str]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.rekey_child", mode, str(folder)],
        cwd=ROOT,
        env=child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    reader = _Reader(proc.stdout)
    reader.start()
    if not reader.ready.wait(60):
        proc.kill()
    # Wait for the first unlock, then kill somewhere in the work that follows.
    proc_delay = rng.uniform(0.05, max_delay)
    try:
        proc.wait(timeout=proc_delay)
    except subprocess.TimeoutExpired:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(10)
    stderr = proc.stderr.read().decode(errors="replace")
    assert proc.returncode == -signal.SIGKILL, f"child ended by itself: {stderr[-600:]}"
    return list(reader.lines)


def _open_exactly_one(folder: Path):
    from vp_desk.services.desk import Desk

    opened = []
    for passphrase in PASSPHRASES:
        try:
            desk = Desk.open(folder, passphrase)
        except WrongPassphrase:
            continue
        opened.append((desk, passphrase))
        desk.close()
    assert len(opened) == 1, f"{len(opened)} passphrases open the folder"
    return Desk.open(folder, opened[0][1])


def _common(folder: Path) -> None:
    assert not list(folder.glob("*.rekey*"))
    assert (folder / CURRENT).read_bytes() == (folder / PREVIOUS).read_bytes()


@pytest.mark.slow
def test_kill9_during_passphrase_changes(tmp_path):
    folder = tmp_path / "data"
    _setup(folder)
    rng = random.Random(20261130)
    changes = 0
    for i in range(PASSWD_ITERATIONS):
        acks = _kill_child("passwd", folder, rng, 2.0)
        changes += len(acks)
        with _open_exactly_one(folder) as desk:
            assert [o.name for o in desk.organisations()] == [KEEP], i
            assert desk.verify() == [], i
        _common(folder)
    # the kills did land among changes (how many depends on the machine's load)
    assert changes >= 2


@pytest.mark.slow
def test_kill9_during_shreds(tmp_path):
    folder = tmp_path / "data"
    _setup(folder)
    rng = random.Random(20261201)
    begun: dict[str, bytes] = {}
    finished = 0
    for i in range(SHRED_ITERATIONS):
        acks = _kill_child("shred", folder, rng, 2.0)
        for line in acks:
            kind, key, *salt = line.split()
            if kind == "shredding":
                begun[key] = bytes.fromhex(salt[0])
            else:
                finished += 1
        with _open_exactly_one(folder) as desk:
            names = [o.name for o in desk.organisations()]
            assert names[0] == KEEP or KEEP in names, i
            assert desk.verify() == [], i
            live = {k.hex() for k in desk.vault.ring.keys.values()}
            # A temporary organisation still there (killed before its shred
            # began, or before its case was added) is intact.
            for org in desk.organisations():
                if org.name != KEEP:
                    notes = [desk.get_case(org.id, c.id).notes for c in desk.list_cases(org.id)]
                    assert notes in ([], [MARK]), i
        _common(folder)
        for key, salt in begun.items():
            if key in live:
                continue  # killed before the shred committed: the old state
            hits = decryptable_pages(folder, bytes.fromhex(key), (salt,))
            assert hits == [], (i, [h[:2] for h in hits])
    assert finished >= 3 and begun
