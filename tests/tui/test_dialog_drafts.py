"""A draft saved before the dialogs moved to ``tui/dialogs/`` still reopens.

Drafts remember the module of the form that made them; a closing-case draft
saved by an older version names ``vp_desk.tui.screens.case_dialogs``. Run in a
fresh interpreter so no earlier import has registered the restorer already.
"""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
from vp_desk.tui import drafts
old = {"kind": "close_case", "_module": "vp_desk.tui.screens.case_dialogs"}
new = {"kind": "close_case", "_module": "vp_desk.tui.dialogs.case_dialogs"}
assert drafts.restorer("close_case") is None
assert drafts.load_restorer(old) is not None, "old module path lost"
assert drafts.load_restorer(new) is drafts.load_restorer(old)
"""


def test_close_case_draft_from_before_the_move_finds_its_restorer() -> None:
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
