"""Footer labels in the user's language.

Bindings are declared once per class, but the language is chosen at run time.
The case screens declare each binding with a key of their string table as its
description; ``localise_bindings`` swaps in the label for the app's language
when the screen mounts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

from textual.dom import DOMNode

from vp_desk.tui.i18n import pick
from vp_desk.tui.textual_compat import bindings as node_bindings


def localise_bindings(node: DOMNode, table: Mapping[str, tuple[str, str]], lang: str) -> None:
    bindings = node_bindings(node).key_to_bindings
    for key, items in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, description=pick(table, b.description, lang))
            if b.description in table
            else b
            for b in items
        ]
    node.refresh_bindings()
