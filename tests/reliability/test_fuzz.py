"""Fuzzing (hypothesis) of the key-file parser and the domain validation:
nothing crashes; the only outcomes are success or a clear VpDeskError."""

from __future__ import annotations

import json
import shutil

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import (
    ActivityInput,
    CaseInput,
    ConsultationInput,
    OrganisationInput,
    validate_activity,
    validate_case,
    validate_consultation,
    validate_organisation,
)
from vp_desk.errors import DamagedFile, ValidationError, VpDeskError, WrongPassphrase
from vp_desk.services.desk import Desk
from vp_desk.vault.keyfile import CURRENT, PREVIOUS, KeyFileStore

FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(scope="module")
def keyfile_bytes(tmp_path_factory):
    path = tmp_path_factory.mktemp("kf") / "data"
    import os

    os.environ["VP_DESK_KDF"] = "minimum"
    with Desk.create(path, PASSPHRASE) as desk:
        desk.add_organisation(OrganisationInput("Fuzz BV"))
    return (path / CURRENT).read_bytes()


@FUZZ
@given(data=st.data())
def test_key_file_parser_never_crashes(tmp_path, keyfile_bytes, cached_kdf, data):
    raw = bytearray(keyfile_bytes)
    mutation = data.draw(st.sampled_from(["flip", "cut", "insert", "random", "json"]))
    if mutation == "flip":
        for _ in range(data.draw(st.integers(1, 8))):
            raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
    elif mutation == "cut":
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    elif mutation == "insert":
        at = data.draw(st.integers(0, len(raw)))
        raw[at:at] = data.draw(st.binary(min_size=1, max_size=20))
    elif mutation == "random":
        raw = bytearray(data.draw(st.binary(max_size=2000)))
    else:
        outer = json.loads(keyfile_bytes)
        body = json.loads(outer["body"])
        key = data.draw(st.sampled_from(["version", "generation", "kdf", "vaults"]))
        body[key] = data.draw(
            st.one_of(
                st.none(),
                st.integers(),
                st.text(max_size=5),
                st.lists(st.integers(), max_size=2),
                st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
            )
        )
        outer["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"))
        import hashlib

        outer["sha256"] = hashlib.sha256(outer["body"].encode()).hexdigest()
        raw = bytearray(json.dumps(outer).encode())
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(dir=tmp_path))
    (folder / CURRENT).write_bytes(bytes(raw))
    (folder / PREVIOUS).write_bytes(bytes(raw))
    try:
        ring = KeyFileStore(folder).unlock(PASSPHRASE)
    except (DamagedFile, WrongPassphrase):
        return
    finally:
        shutil.rmtree(folder)
    assert len(ring.keys) == 2  # only an immaterial change may still unlock


anything = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(-(10**6), 10**6),
    st.dates(),
    st.lists(st.text(max_size=15), max_size=4),
    st.booleans(),
)


@FUZZ
@given(
    st.builds(
        CaseInput,
        opened=anything,
        behaviours=anything,
        primary_behaviour=anything,
        closed=anything,
        channel=anything,
        contact_role=anything,
        relation=anything,
        help=anything,
        referrals=anything,
        outcome=anything,
        follow_up=anything,
        notes=anything,
    )
)
def test_case_validation_only_clear_errors(data):
    try:
        clean = validate_case(data)
    except ValidationError as exc:
        assert exc.field_errors and all(isinstance(v, str) for v in exc.field_errors.values())
        return
    assert clean.primary_behaviour == clean.behaviours[0]
    assert clean.closed is None or clean.closed >= clean.opened


@FUZZ
@given(
    st.builds(ConsultationInput, date=anything, minutes=anything, channel=anything, notes=anything),
    st.builds(ActivityInput, date=anything, kind=anything, minutes=anything, notes=anything),
    st.builds(
        OrganisationInput,
        name=anything,
        employees=anything,
        threshold=anything,
        retention_months=anything,
        lang=st.text(max_size=3),
    ),
)
def test_other_forms_only_clear_errors(consultation, activity, organisation):
    for func, value in (
        (validate_consultation, consultation),
        (validate_activity, activity),
        (validate_organisation, organisation),
    ):
        try:
            result = func(value)
        except ValidationError:
            continue
        if "minutes" in result:
            assert 0 <= result["minutes"] <= 1440
        if "threshold" in result:
            assert result["threshold"] >= 3


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=st.text(max_size=300))
def test_any_text_round_trips_cleanly(desk, org, text):
    """Whatever is typed is stored without control characters and read back as stored."""
    try:
        case = desk.create_case(
            org.id, CaseInput(opened="2026-01-01", behaviours=["other"], notes=text)
        )
    except VpDeskError:
        return
    back = desk.get_case(org.id, case.id).notes
    assert back == case.notes
    assert not any(ord(ch) < 32 and ch not in "\n\t" for ch in back)
    assert not any(0x80 <= ord(ch) <= 0x9F for ch in back)


# -- backup header, hand-over manifest, CSV and XLSX readers (issue 11) -----------------

import hashlib  # noqa: E402
import io  # noqa: E402
import struct  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from vp_desk.services import archive, handover, importer  # noqa: E402
from vp_desk.vault.keyfile import KdfParams  # noqa: E402

QUICK = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

json_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=True, allow_infinity=True),
        st.text(max_size=12),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)

#: One fixed key-encryption key for the archive fuzzing: the KDF is not what is
#: fuzzed, so no Argon2id run is needed per example.
KEK = bytes(range(32))
KDF = KdfParams(b"s" * 16, 64 * 1024, 3, 1)


@pytest.fixture(scope="module")
def sealed_backup(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("arch")
    member = folder / "index.db"
    member.write_bytes(b"encrypted vault bytes" * 10)
    out = folder / "b.vpbackup"
    archive.write_archive(
        out, "backup", KEK, KDF, {"kind": "backup"}, [archive.Member("index.db", member)]
    )
    return out.read_bytes()


def _rebuild(raw: bytes, header: dict | object) -> bytes:
    hlen = struct.unpack(">I", raw[8:12])[0]
    new = json.dumps(header).encode()
    body = raw[:8] + struct.pack(">I", len(new)) + new + raw[12 + hlen : -32]
    return body + hashlib.sha256(body).digest()


def _only_our_errors(func) -> object | None:
    try:
        return func()
    except VpDeskError:
        return None


@QUICK
@given(data=st.data())
def test_archive_header_reader_only_raises_our_errors(tmp_path, sealed_backup, data):
    raw = bytearray(sealed_backup)
    hlen = struct.unpack(">I", raw[8:12])[0]
    header = json.loads(raw[12 : 12 + hlen])
    how = data.draw(st.sampled_from(["field", "kdf field", "whole", "bytes", "cut"]))
    if how == "field":
        header[data.draw(st.sampled_from(sorted(header)))] = data.draw(json_values)
        raw = _rebuild(bytes(raw), header)
    elif how == "kdf field":
        key = data.draw(st.sampled_from(["name", "salt", "memory_kib", "iterations", "lanes"]))
        header["kdf"][key] = data.draw(json_values)
        raw = _rebuild(bytes(raw), header)
    elif how == "whole":
        raw = _rebuild(bytes(raw), data.draw(json_values))
    elif how == "bytes":
        for _ in range(data.draw(st.integers(1, 6))):
            raw[data.draw(st.integers(0, len(raw) - 1))] ^= data.draw(st.integers(1, 255))
    else:
        raw = raw[: data.draw(st.integers(0, len(raw)))]
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "f.vpbackup"
    path.write_bytes(bytes(raw))
    parsed = _only_our_errors(lambda: archive.read_header(path, "backup"))
    if parsed is None:
        return
    assert parsed.kdf.memory_kib <= archive.MAX_ARCHIVE_MEMORY_KIB
    out = Path(tempfile.mkdtemp(dir=tmp_path))
    _only_our_errors(lambda: archive.read_archive(parsed, archive.unwrap(parsed, KEK), out))


def _seal_payload(path: Path, kind: str, payload: bytes) -> archive.Header:
    import os

    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        writer = archive._SealedWriter(fd, kind, KEK, KDF)
        writer.write(payload)
        writer.close()
    finally:
        os.close(fd)
    return archive.read_header(path, kind)


manifests = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "members": st.one_of(
                json_values,
                st.just([{"name": "vault.db", "size": 4, "sha256": "0" * 64}]),
                st.lists(
                    st.fixed_dictionaries(
                        {"name": json_values, "size": json_values, "sha256": json_values}
                    ),
                    max_size=2,
                ),
            ),
            "organisation": st.one_of(
                json_values, st.dictionaries(st.text(max_size=8), json_values, max_size=4)
            ),
            "data_key": st.one_of(json_values, st.just("ab" * 32), st.text("0123456789abcdef")),
            "subject_key": st.one_of(json_values, st.just("cd" * 32)),
            "ledger": st.one_of(
                json_values, st.lists(st.dictionaries(st.text(max_size=6), json_values))
            ),
        },
        optional={"audit_key": json_values},
    ),
)


@QUICK
@given(
    manifest=manifests, tail=st.binary(max_size=40), length=st.none() | st.integers(0, 2**32 - 1)
)
def test_hand_over_manifest_reader_only_raises_our_errors(tmp_path, manifest, tail, length):
    body = json.dumps(manifest).encode()
    payload = struct.pack(">I", len(body) if length is None else length) + body + tail
    work = Path(tempfile.mkdtemp(dir=tmp_path))
    header = _seal_payload(work / "h.vphandover", "handover", payload)
    folder = work / "out"
    folder.mkdir()
    result = _only_our_errors(lambda: handover.read_opened(header, KEK, folder))
    if result is not None:
        # What passes has the shape import relies on.
        assert len(bytes.fromhex(result["data_key"])) == 32
        assert isinstance(result["organisation"], dict)
        assert sorted(p.name for p in folder.iterdir()) == ["vault.db"]


CSV_COLUMNS = [
    "opened",
    "geopend",
    "closed",
    "contact_role",
    "behaviours",
    "gedrag",
    "relation",
    "help",
    "referrals",
    "outcome",
    "channel",
    "consultations",
    "minutes",
    "notes",
    "unknown",
]
cells = st.one_of(
    st.text(max_size=30),
    st.sampled_from(["2025-01-02", "31-12-2024", "99999999999999999999", "-1", "1e309", ""]),
    st.integers().map(str),
)


def _plan(path: Path) -> None:
    try:
        importer.plan_import(path, "en")
    except VpDeskError:
        pass


@QUICK
@given(
    header=st.lists(st.sampled_from(CSV_COLUMNS), min_size=0, max_size=6),
    rows=st.lists(st.lists(cells, max_size=7), max_size=6),
    delimiter=st.sampled_from([",", ";", "\t"]),
    noise=st.one_of(st.none(), st.binary(max_size=200)),
)
def test_csv_reader_only_raises_our_errors(tmp_path, header, rows, delimiter, noise):
    import csv

    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    raw = text.getvalue().encode() if noise is None else noise
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "f.csv"
    path.write_bytes(raw)
    _plan(path)


xlsx_cells = st.one_of(
    st.none(),
    st.text(max_size=20).filter(lambda s: not s.startswith("=")),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.datetimes(),
    st.booleans(),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    header=st.lists(st.sampled_from(CSV_COLUMNS), min_size=0, max_size=5),
    rows=st.lists(st.lists(xlsx_cells, max_size=6), max_size=4),
    damage=st.one_of(st.none(), st.integers(0, 10_000)),
)
def test_xlsx_reader_only_raises_our_errors(tmp_path, header, rows, damage):
    import openpyxl
    from openpyxl.utils.exceptions import IllegalCharacterError

    book = openpyxl.Workbook()
    sheet = book.active
    try:
        sheet.append(header)
        for row in rows:
            sheet.append(row)
    except (IllegalCharacterError, ValueError, TypeError):
        return  # openpyxl itself refuses to write this cell
    path = Path(tempfile.mkdtemp(dir=tmp_path)) / "f.xlsx"
    book.save(path)
    if damage is not None:
        raw = bytearray(path.read_bytes())
        raw[damage % len(raw)] ^= 0x5A
        path.write_bytes(bytes(raw))
    _plan(path)
