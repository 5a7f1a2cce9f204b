"""Hostile text in a real terminal (issue 7): the app runs on a pseudo-terminal
exactly as a VP starts it; the hostile corpus sits in organisation names, case
notes (also written raw into the vault, bypassing input cleaning, as an older
or foreign vault could hold them) and an imported spreadsheet. Every byte the
app sends to the terminal is recorded, and nothing from the data may have been
interpreted: no clipboard write (OSC 52), no hyperlink (OSC 8), no screen
clear from the data, no C1 CSI, no bidi override. The markup must appear as
literal text on screen."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from vp_desk.domain.models import CaseInput, ConsultationInput, OrganisationInput
from vp_desk.services.desk import Desk

ORG_NAME = "[link=https://x]y[/link] BV"
RAW_NOTE = (
    "N1[@click=app.quit]x[/] N2[/ N3\x1b]52;c;aGk=\x07 N4\x1b[2JN5 N6\x9b31mN7 N8\u202eN9\u2066N10"
)


def _spawn(data_dir: Path) -> tuple[subprocess.Popen, int]:
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        {
            "TERM": "xterm-256color",
            "COLUMNS": "120",
            "LINES": "36",
            "VP_DESK_KDF": "minimum",
            "VP_DESK_LANG": "en",
        }
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "vp_desk", "--data-dir", str(data_dir), "--lang", "en"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=env,
        start_new_session=True,
        close_fds=True,
    )
    os.close(slave)
    return proc, master


def _stop(proc: subprocess.Popen, master: int) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(10)
    os.close(master)


class Terminal:
    def __init__(self, master: int):
        self.master = master
        self.raw = bytearray()

    def pump(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.master, 65536)
                except OSError:
                    return
                if not chunk:
                    return
                self.raw.extend(chunk)

    def wait_for(self, needle: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.pump(0.2)
            if needle in self.text:
                return
        raise AssertionError(f"{needle!r} never appeared on screen")

    def send(self, data: str, pause: float = 0.4) -> None:
        os.write(self.master, data.encode())
        self.pump(pause)

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8", errors="replace")


@pytest.fixture
def hostile_folder(tmp_path) -> Path:
    data = tmp_path / "data"
    with Desk.create(data, PASSPHRASE) as desk:
        org = desk.add_organisation(OrganisationInput(ORG_NAME, employees=20))
        case = desk.create_case(
            org.id,
            CaseInput(opened="2026-02-02", behaviours=["bullying"], notes="typed " + RAW_NOTE),
        )
        desk.add_consultation(
            org.id, case.id, ConsultationInput("2026-02-03", 30, notes="contact " + RAW_NOTE)
        )
        # Bypass input cleaning: the display must clean again.
        desk.conn(org.id).execute(
            "UPDATE cases SET notes = ? WHERE id = ?", ("raw " + RAW_NOTE, case.id)
        )
    csv = tmp_path / "hostile.csv"
    csv.write_text(
        f'opened,behaviours,notes\n2026-03-03,bullying,"imported {RAW_NOTE}"\n', encoding="utf-8"
    )
    result = run_cli("import", ORG_NAME, str(csv), data_dir=data)
    assert result.returncode == 0, result.stderr
    return data


def test_hostile_text_never_reaches_the_terminal(hostile_folder):
    proc, master = _spawn(hostile_folder)
    term = Terminal(master)
    try:
        term.wait_for("assphrase")
        term.send(PASSPHRASE + "\r", pause=1.0)
        term.wait_for("link=https://x")  # dashboard with the org name, literally
        start_of_session = len(term.raw)
        term.send("c", pause=1.5)  # case list of the current organisation
        term.wait_for("2026-001")
        term.send("\r", pause=1.5)  # open the newest case (import or raw)
        term.send("\x1b", pause=0.8)
        term.send("\x1b[B", pause=0.3)  # down to the other case
        term.send("\r", pause=1.5)
        term.wait_for("N1[@click=app.quit]x[/]")  # the markup, literally
        term.send("\x11", pause=1.5)  # ctrl+q
    finally:
        _stop(proc, master)
    text = term.text
    session = term.raw[start_of_session:].decode("utf-8", errors="replace")
    assert proc.returncode is not None
    # Nothing from the data was interpreted by the terminal.
    assert "\x1b]52" not in text  # no clipboard write
    assert "\x1b]8;" not in text  # no hyperlink
    assert "aGk=" not in text or "\x1b]52;c;aGk=" not in text
    assert "N4\x1b[2J" not in text and "\x1b[2JN5" not in text
    assert "\x1b[2J" not in session  # no screen clear once the desk is open
    assert "\x9b" not in text  # no 8-bit CSI
    assert "\u202e" not in text and "\u2066" not in text
    # ...and it was shown literally, minus the control characters.
    assert "N3]52;c;aGk=" in text
    assert "N4[2JN5" in text
    assert "N1[@click=app.quit]x[/]" in text
    assert "Traceback" not in text


def test_hostile_text_pasted_into_a_form(tmp_path):
    """The corpus pasted (bracketed paste, as a terminal delivers it) into the
    organisation form of the real app: stored cleaned, shown literally, and
    nothing of it interpreted by the terminal."""
    data = tmp_path / "data"
    with Desk.create(data, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Gewoon BV"))
    pasted = "P1[link=https://x]y[/link] P2\x1b]52;c;aGk=\x07P3\x1b[2JP4\x9bP5\u202eP6"
    proc, master = _spawn(data)
    term = Terminal(master)
    try:
        term.wait_for("assphrase")
        term.send(PASSPHRASE + "\r", pause=1.0)
        term.wait_for("Gewoon BV")
        start_of_session = len(term.raw)
        term.send("n", pause=1.5)  # new organisation form
        term.send("\t", pause=0.5)  # the employee count is required
        term.send("25", pause=0.5)
        term.send("\x1b[Z", pause=0.5)  # shift+tab: back to the name
        term.send("\x1b[200~" + pasted + "\x1b[201~", pause=1.0)
        term.send("\x13", pause=2.0)  # ctrl+s saves
        term.wait_for("P1[link=https://x]y[/link]")
        term.send("\x11", pause=1.5)  # ctrl+q
    finally:
        _stop(proc, master)
    session = term.raw[start_of_session:].decode("utf-8", errors="replace")
    for bad in ("\x1b]52", "\x1b]8;", "\x1b[2J", "\x9b", "\u202e"):
        assert bad not in session, repr(bad)
    assert "Traceback" not in term.text
    with Desk.open(data, PASSPHRASE) as desk:
        names = [o.name for o in desk.organisations() if o.name != "Gewoon BV"]
    # Textual's input parser may split a paste at an ESC (the rest arrives as key
    # presses), so the order of the pieces is not asserted; what is: the markup is
    # stored as typed and no control or bidi character was stored.
    assert len(names) == 1
    name = names[0]
    assert "P1[link=https://x]y[/link] P2" in name and "52;c;aGk=" in name
    assert name.isprintable(), repr(name)
