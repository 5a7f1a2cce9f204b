"""Footer labels that follow a language switch.

``case_keys.localise_bindings`` replaces each description (a key of the
screen's string table) with its label; after a switch of language the keys
are gone, so ``localise`` starts again from the class's own bindings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import getters
from textual.dom import DOMNode
from textual.screen import Screen

from vp_desk.tui.textual_compat import class_bindings, set_bindings
from vp_desk.tui.widgets.case_keys import localise_bindings

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp


def localise(node: DOMNode, table: Mapping[str, tuple[str, str]], lang: str) -> None:
    declared = class_bindings(node)
    if declared is not None:
        set_bindings(node, declared.copy())
    localise_bindings(node, table, lang)


class LocalisedScreen(Screen):
    """A screen in the app's language: ``STRINGS`` holds its texts and footer labels."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    STRINGS: Mapping[str, tuple[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        # Footer labels before the first compose: one Footer build less.
        localise(self, self.STRINGS, self.lang)

    @property
    def lang(self) -> str:
        return self.app.lang
