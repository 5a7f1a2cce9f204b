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
