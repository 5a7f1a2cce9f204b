"""kill -9 during writes: no acknowledged commit lost, integrity checks clean
(docs/architecture.md, "Security rules", faults the tests cover).

Each iteration starts a child that writes cases, contact moments, activities
and updates through the Desk API and acknowledges each commit on stdout; the
test SIGKILLs it at a random moment and checks the reopened data folder. The
long version (1,000 iterations, kills during imports too) is
tests/stress/kill9_stress.py.
"""

from __future__ import annotations

import random
import sys

import pytest

from tests.stress.kill9_lib import kill_stream, setup

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs SIGKILL")

ITERATIONS = 20


def test_kill9_loses_no_acknowledged_commit(tmp_path):
    folder = tmp_path / "data"
    setup(folder)
    rng = random.Random(20261123)
    acknowledged = 0
    for i in range(ITERATIONS):
        outcome = kill_stream(folder, rng, max_delay=0.5)
        assert outcome.problems == [], f"iteration {i} ({outcome.detail}): {outcome.problems}"
        acknowledged += outcome.acknowledged
    # The kills really landed while writing: most children had acknowledged writes.
    assert acknowledged >= ITERATIONS * 3
