"""Footer labels that follow a language switch.

``case_keys.localise_bindings`` replaces each description (a key of the
screen's string table) with its label; after a switch of language the keys
are gone, so ``localise`` starts again from the class's own bindings.
"""

from __future__ import annotations

from typing import Mapping

from textual.dom import DOMNode

from vp_desk.tui.widgets.case_keys import localise_bindings


def localise(node: DOMNode, table: Mapping[str, tuple[str, str]], lang: str) -> None:
    if node._merged_bindings is not None:
        node._bindings = node._merged_bindings.copy()
    localise_bindings(node, table, lang)
