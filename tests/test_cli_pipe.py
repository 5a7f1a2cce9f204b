"""A command whose reader goes away (``| head``) ends quietly, not with an error."""

import os
import subprocess
import sys

from tests.conftest import PASSPHRASE
from vp_desk.domain.models import CaseInput, OrganisationInput, validate_case
from vp_desk.services.desk import Desk


def test_output_into_a_closed_pipe_is_not_an_error(data_dir):
    with Desk.create(data_dir, PASSPHRASE) as desk:
        org = desk.add_organisation(OrganisationInput("Pijp BV"))
        # More output than a pipe buffers (64 KiB), so the writer meets the closed pipe.
        case = validate_case(CaseInput(opened="2026-01-05", behaviours=["other"]))
        desk.insert_cases(org.id, [(case, [])] * 3000)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VP_DESK_")}
    env.update(
        {"VP_DESK_KDF": "minimum", "VP_DESK_PASSPHRASE": PASSPHRASE, "VP_DESK_HOME": str(data_dir)}
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "vp_desk", "case", "list", "Pijp BV"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    first = proc.stdout.readline()
    proc.stdout.close()  # the reader goes away, as `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(60) == 0
    assert first.startswith(b"2026-")
    assert err == ""
