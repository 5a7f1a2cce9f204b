"""Kill -9 durability, shared by tests/test_kill9.py and tests/stress/kill9_stress.py.

A child process writes through the Desk API and prints one acknowledgement
line after each commit returns (flushed at once). The parent kills it with
SIGKILL at a random moment, reopens the data folder and checks that

* every acknowledged write is there (no acknowledged commit lost);
* nothing appeared that was never attempted (at most the one write in flight);
* ``PRAGMA integrity_check`` and ``cipher_integrity_check`` are clean and
  ``Desk.verify()`` (integrity and audit chains of every vault) is empty.

A second mode kills ``vp-desk import`` at a random moment: the import is all
or nothing, so the organisation has either none or all of the file's cases.

Run as a child: ``python -m tests.stress.kill9_lib child DATA_DIR SEED``
(passphrase in VP_DESK_PASSPHRASE).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORG = "Kill Negen BV"
PASSPHRASE = "correct horse battery staple"
BEHAVIOURS = ("bullying", "intimidation", "work_conflict", "sexual_harassment", "other")


# -- the child -----------------------------------------------------------------------------


def child(data_dir: str, seed: int) -> None:
    from vp_desk.domain.models import ActivityInput, CaseInput, ConsultationInput
    from vp_desk.services.desk import Desk

    rng = random.Random(seed)
    desk = Desk.open(data_dir, os.environ["VP_DESK_PASSPHRASE"])
    org = desk.find_organisation(ORG)
    out = sys.stdout
    out.write("ready\n")
    out.flush()
    cases: list = []
    day = date(2026, 1, 1)
    for n in range(10**9):
        choice = rng.random()
        when = day + timedelta(days=rng.randrange(300))
        if choice < 0.55 or not cases:
            case = desk.create_case(
                org.id,
                CaseInput(
                    opened=when,
                    behaviours=[rng.choice(BEHAVIOURS)],
                    notes=f"kill9 seed {seed} write {n} " + "x" * rng.randrange(2000),
                ),
            )
            cases.append(case)
            out.write(f"case {case.code}\n")
        elif choice < 0.8:
            case = rng.choice(cases)
            contact = desk.add_consultation(
                org.id,
                case.id,
                ConsultationInput(case.opened, rng.randrange(5, 90), "phone", f"contact {n}"),
            )
            out.write(f"contact {contact.id}\n")
        elif choice < 0.9:
            activity = desk.add_activity(org.id, ActivityInput(when, "awareness", 60, f"a {n}"))
            out.write(f"activity {activity.id}\n")
        else:
            case = rng.choice(cases)
            data = case.to_input()
            data.notes = f"version {n}"
            desk.update_case(org.id, case.id, data)
            out.write(f"update {case.code} {n}\n")
        out.flush()


# -- the parent ----------------------------------------------------------------------------


@dataclass
class Outcome:
    mode: str
    acknowledged: int = 0
    problems: list[str] = field(default_factory=list)
    detail: str = ""
    totals: tuple[int, ...] = ()  # stream: cases, contact moments, activities stored
    committed: bool | None = None  # import: did the whole file arrive


def child_env(passphrase: str = PASSPHRASE) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        VP_DESK_PASSPHRASE=passphrase,
        VP_DESK_KDF="minimum",
        VP_DESK_LANG="en",
        PYTHONPATH=str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    )
    return env


def setup(data_dir: Path) -> None:
    """A fresh data folder with the one organisation the children write to."""
    from vp_desk.domain.models import OrganisationInput
    from vp_desk.services.desk import Desk
    from vp_desk.vault.keyfile import KdfParams

    os.environ["VP_DESK_KDF"] = "minimum"
    with Desk.create(data_dir, PASSPHRASE, KdfParams.from_env()) as desk:
        desk.add_organisation(OrganisationInput(ORG, employees=50))


class _Reader(threading.Thread):
    """Collects complete lines from the child's stdout (a killed child may leave half a line)."""

    def __init__(self, stream):
        super().__init__(daemon=True)
        self.stream = stream
        self.lines: list[str] = []
        self.ready = threading.Event()

    def run(self) -> None:
        for raw in self.stream:
            if not raw.endswith(b"\n"):
                break
            line = raw.decode().rstrip("\n")
            if line == "ready":
                self.ready.set()
            else:
                self.lines.append(line)
        self.ready.set()


def _common_checks(desk, org_id: int) -> list[str]:
    from vp_desk.vault.sqlcipher import integrity_problems

    problems = [f"org vault: {p}" for p in integrity_problems(desk.conn(org_id))]
    problems += [f"index vault: {p}" for p in integrity_problems(desk.index)]
    problems += [f"verify: {p}" for p in desk.verify()]
    return problems


def kill_stream(data_dir: Path, rng: random.Random, *, max_delay: float = 0.6) -> Outcome:
    """One child writing a stream of changes, killed after a random delay."""
    from vp_desk.services.desk import Desk

    seed = rng.randrange(2**31)
    outcome = Outcome("stream", detail=f"seed {seed}")
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.stress.kill9_lib", "child", str(data_dir), str(seed)],
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
    time.sleep(rng.uniform(0.0, max_delay))
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    reader.join(10)
    stderr = proc.stderr.read().decode(errors="replace")
    if proc.returncode != -signal.SIGKILL:
        outcome.problems.append(f"child ended by itself ({proc.returncode}): {stderr[-400:]}")
        return outcome
    acks = list(reader.lines)
    outcome.acknowledged = len(acks)
    with Desk.open(data_dir, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        conn = desk.conn(org.id)
        codes = {r[0]: r[1] for r in conn.execute("SELECT code, notes FROM cases")}
        contacts = {r[0] for r in conn.execute("SELECT id FROM consultations")}
        activities = {r[0] for r in conn.execute("SELECT id FROM activities")}
        versions: dict[str, int] = {}
        for ack in acks:
            kind, *rest = ack.split()
            if kind == "case" and rest[0] not in codes:
                outcome.problems.append(f"acknowledged case {rest[0]} is missing")
            elif kind == "contact" and int(rest[0]) not in contacts:
                outcome.problems.append(f"acknowledged contact moment {rest[0]} is missing")
            elif kind == "activity" and int(rest[0]) not in activities:
                outcome.problems.append(f"acknowledged activity {rest[0]} is missing")
            elif kind == "update":
                versions[rest[0]] = int(rest[1])
        for code, version in versions.items():
            notes = codes.get(code, "")
            stored = int(notes.split()[1]) if notes.startswith("version ") else -1
            if stored < version:
                outcome.problems.append(f"acknowledged update of {code} is lost")
        outcome.problems += _common_checks(desk, org.id)
        outcome.totals = (len(codes), len(contacts), len(activities))
    return outcome


class _PtyReader(threading.Thread):
    """Reads the child's stderr from a pseudo-terminal, so its progress bar shows."""

    def __init__(self, master: int):
        super().__init__(daemon=True)
        self.master = master
        self.seen = b""

    def run(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.seen += chunk

    def percent_written(self) -> int | None:
        found = re.findall(rb"Importing\s+\[[#-]*\]\s+(\d+)%", self.seen)
        return int(found[-1]) if found else None

    def phase(self) -> str:
        """What the import was doing: starting, reading, writing, done."""
        percent = self.percent_written()
        if percent is not None:
            return "writing" if percent < 100 else "done"
        return "reading" if b"Reading" in self.seen else "starting"


def kill_import(
    data_dir: Path,
    rng: random.Random,
    csv_path: Path,
    rows: int,
    max_delay: float = 3.0,
    at_percent: int | None = None,
) -> Outcome:
    """``vp-desk import`` of ``rows`` cases, killed at a random moment: all or nothing.

    The child's stderr is a pseudo-terminal, so its progress bar tells in which
    phase the kill landed (``Outcome.detail``); "writing" means inside the
    transaction. With ``at_percent`` the kill comes when the bar shows that much
    of the write done, else after a random delay up to ``max_delay`` seconds.
    """
    from vp_desk.services.desk import Desk

    with Desk.open(data_dir, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        before = desk.count_cases(org.id)
    delay = rng.uniform(0.2, max_delay)
    master, slave = os.openpty()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "vp_desk",
            "--data-dir",
            str(data_dir),
            "import",
            ORG,
            str(csv_path),
        ],
        cwd=ROOT,
        env=child_env(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=slave,
    )
    os.close(slave)
    reader = _PtyReader(master)
    reader.start()
    deadline = time.monotonic() + (60 if at_percent is not None else delay)
    while proc.poll() is None and time.monotonic() < deadline:
        percent = reader.percent_written()
        if at_percent is not None and percent is not None and percent >= at_percent:
            break
        time.sleep(0.005)
    if proc.poll() is None:
        phase = reader.phase()
        os.kill(proc.pid, signal.SIGKILL)
    else:
        phase = "finished"
    proc.wait()
    reader.join(5)
    os.close(master)
    stdout = proc.stdout.read().decode(errors="replace")
    outcome = Outcome("import", detail=phase)
    if proc.returncode not in (0, -signal.SIGKILL):
        tail = reader.seen.decode(errors="replace")[-400:]
        outcome.problems.append(f"import failed ({proc.returncode}): {tail}")
    with Desk.open(data_dir, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        added = desk.count_cases(org.id) - before
        if added not in (0, rows):
            outcome.problems.append(f"partial import: {added} of {rows} cases")
        if "Imported" in stdout and added != rows:
            outcome.problems.append("acknowledged import is missing")
        if phase in ("starting", "reading") and added:
            outcome.problems.append("cases appeared although the import was killed before writing")
        outcome.problems += _common_checks(desk, org.id)
    outcome.acknowledged = 1 if "Imported" in stdout else 0
    outcome.committed = added == rows
    return outcome


if __name__ == "__main__":  # pragma: no cover - the child process
    if len(sys.argv) == 4 and sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        sys.exit("usage: python -m tests.stress.kill9_lib child DATA_DIR SEED")
