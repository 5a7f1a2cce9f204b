"""Bad input on the command line: one sentence, the documented exit code
(docs/en/commands.md), nothing written, never a traceback.

Each case was a traceback, a hang or a false message before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PASSPHRASE, run_cli
from tests.lifecycle.helpers import add_case, add_org, audit_events
from tests.portable import posix_only
from vp_desk.services.desk import Desk

ORG = "Invoer BV"


@pytest.fixture(scope="module")
def _folder(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("bad-input") / "data"
    with Desk.create(path, PASSPHRASE) as desk:
        org = add_org(desk, ORG)
        add_case(desk, org.id, "2025-03-03", notes="dossier text")
    return path


@pytest.fixture
def folder(_folder, tmp_path) -> Path:
    import shutil

    copy = tmp_path / "data"
    shutil.copytree(_folder, copy)
    return copy


def _one_error(result, code: int) -> str:
    assert result.returncode == code, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return lines[-1]


def _env(folder: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        VP_DESK_KDF="minimum",
        VP_DESK_LANG="en",
        VP_DESK_PASSPHRASE=PASSPHRASE,
        VP_DESK_HOME=str(folder),
    )
    return env


@pytest.mark.parametrize("year", ["99999999999999999999", "-5", "99999", "2025.5", "١٢٣٤"])
@pytest.mark.parametrize("command", [("case", "list", ORG), ("report", ORG)])
def test_an_impossible_year_is_a_usage_error(folder, year, command):
    result = run_cli(*command, "--year", year, data_dir=folder)
    assert "year" in _one_error(result, 2)


def test_a_good_year_still_filters(folder):
    result = run_cli("case", "list", ORG, "--year", "2025", "--json", data_dir=folder)
    assert result.returncode == 0 and "2025-03-03" in result.stdout
    result = run_cli("case", "list", ORG, "--year", "2024", "--json", data_dir=folder)
    assert result.returncode == 0 and "2025-03-03" not in result.stdout


def test_the_shared_year_and_date_types():
    import click

    from vp_desk.cli.common import DATE, YEAR

    assert YEAR.convert("2025", None, None) == 2025
    assert str(DATE.convert("31-1-2026", None, None)) == "2026-01-31"
    for bad in ("99999999999999999999", "0", "abc", ""):
        with pytest.raises(click.BadParameter):
            YEAR.convert(bad, None, None)
    for bad in ("1-1-99999999999999", "2025-99-01", "x" * 10_000, "0001-01-01"):
        with pytest.raises(click.BadParameter):
            DATE.convert(bad, None, None)


@posix_only
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo", "folder"])
def test_import_refuses_what_is_not_a_regular_file_at_once(folder, tmp_path, device):
    if device == "fifo":
        path = tmp_path / "pipe.csv"
        os.mkfifo(path)
    elif device == "folder":
        path = tmp_path / "dir.csv"
        path.mkdir()
    else:
        path = Path(device)
    result = run_cli("import", ORG, str(path), data_dir=folder, timeout=30)
    message = _one_error(result, 2)
    assert "not a regular file" in message or "is a directory" in message


def test_import_refuses_a_file_that_is_too_large_before_reading(folder, tmp_path):
    from vp_desk.services import importer

    big = tmp_path / "big.csv"
    with open(big, "wb") as fh:
        fh.truncate(importer.MAX_FILE_BYTES + 1)  # sparse: nothing to read in time
    result = run_cli("import", ORG, str(big), data_dir=folder, timeout=30)
    assert "too large" in _one_error(result, 2)


def _export(folder: Path, out: Path, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "vp_desk", "handover", "export", ORG, str(out)],
        env=_env(folder),
        capture_output=False,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        **kw,
    )


@posix_only
def test_handover_export_with_stdout_closed_writes_nothing(folder, tmp_path):
    out = tmp_path / "h.vphandover"
    before = len(_index_events(folder))
    result = subprocess.run(
        [sys.executable, "-m", "vp_desk", "handover", "export", ORG, str(out)],
        env=_env(folder),
        stdin=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )
    assert result.returncode != 0
    assert "Traceback" not in result.stderr and "closed" in result.stderr
    assert not out.exists()
    assert list(tmp_path.glob(".h.vphandover.*")) == []
    assert len(_index_events(folder)) == before


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_handover_export_with_stdout_on_a_full_disk_says_what_happened(folder, tmp_path):
    out = tmp_path / "h.vphandover"
    before = len(_index_events(folder))
    with open("/dev/full", "w") as full:
        result = _export(folder, out, stdout=full)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "hand-over file was removed" in result.stderr
    assert not out.exists()
    assert len(_index_events(folder)) == before
    assert run_cli("verify", data_dir=folder).returncode == 0


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_case_export_to_a_full_stdout_records_no_export(folder):
    with Desk.open(folder, PASSPHRASE) as desk:
        org = desk.find_organisation(ORG)
        code = desk.list_cases(org.id)[0].code
        before = audit_events(desk.conn(org.id))
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "vp_desk", "case", "export", ORG, code, "--yes"],
            env=_env(folder),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    with Desk.open(folder, PASSPHRASE) as desk:
        assert audit_events(desk.conn(desk.find_organisation(ORG).id)) == before


def _index_events(folder: Path) -> list:
    with Desk.open(folder, PASSPHRASE) as desk:
        return audit_events(desk.index)


def test_case_export_out_refuses_to_overwrite_without_force(folder, tmp_path):
    with Desk.open(folder, PASSPHRASE) as desk:
        code = desk.list_cases(desk.find_organisation(ORG).id)[0].code
    out = tmp_path / "dossier.md"
    out.write_text("keep me")
    result = run_cli("case", "export", ORG, code, "--out", str(out), "--yes", data_dir=folder)
    assert "--force" in _one_error(result, 2)
    assert out.read_text() == "keep me"
    forced = run_cli(
        "case", "export", ORG, code, "--out", str(out), "--yes", "--force", data_dir=folder
    )
    assert forced.returncode == 0, forced.stderr
    assert "dossier text" in out.read_text()
    # The default PDF name is protected the same way.
    pdf = tmp_path / f"dossier-{code}.pdf"
    pdf.write_text("keep me too")
    result = subprocess.run(
        [sys.executable, "-m", "vp_desk", "case", "export", ORG, code, "--format", "pdf", "--yes"],
        env=_env(folder),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 2 and "--force" in result.stderr
    assert pdf.read_text() == "keep me too"


@posix_only
@pytest.mark.parametrize(
    "args",
    [
        ("org", "list", "--passphrase-file", "/dev/zero"),
        ("passwd", "--new-passphrase-file", "/dev/zero"),
        ("restore", "/dev/zero"),
        ("handover", "import", "/dev/zero"),
    ],
)
def test_a_device_as_input_file_is_refused_at_once(folder, tmp_path, args):
    data_dir = tmp_path / "empty" if args[0] == "restore" else folder
    result = run_cli(
        *args,
        data_dir=data_dir,
        env={"VP_DESK_HANDOVER_PASSPHRASE": "x"},
        passphrase=None if "--passphrase-file" in args else PASSPHRASE,
        timeout=30,
    )
    assert "not a regular file" in _one_error(result, 2)


def test_archive_reader_refuses_a_pipe_without_blocking(tmp_path):
    from vp_desk.errors import UsageError
    from vp_desk.services import archive

    pipe = tmp_path / "pipe.vpbackup"
    os.mkfifo(pipe)
    with pytest.raises(UsageError):
        archive.read_header(pipe, "backup")


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", ["backup", "org add"])
def test_a_full_stdout_never_claims_nothing_was_changed(folder, tmp_path, command):
    args = (
        ["backup", str(tmp_path / "b.vpbackup")]
        if command == "backup"
        else ["org", "add", "Nieuw BV"]
    )
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "vp_desk", *args],
            env=_env(folder),
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    message = _one_error(result, 1)
    assert "Nothing was changed" not in result.stderr
    assert "may have completed" in message
    assert len(result.stderr.strip().splitlines()) == 1
    if command == "backup":
        assert (tmp_path / "b.vpbackup").exists()
    else:
        with Desk.open(folder, PASSPHRASE) as desk:
            assert "Nieuw BV" in [o.name for o in desk.organisations()]
