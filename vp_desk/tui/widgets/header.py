"""Textual's header, with the hover text of its corner (it opens the command
palette on a click) in the user's language (issue 13 item 10)."""

from __future__ import annotations

from textual.widgets import Header

from vp_desk.tui.i18n import pick
from vp_desk.tui.textual_compat import header_icons

STRINGS = {
    "palette_tip": ("Opdrachten zoeken en uitvoeren", "Open the command palette"),
}


class DeskHeader(Header):
    def on_mount(self) -> None:
        # After the icon's own on_mount, which sets Textual's English text.
        self.call_after_refresh(self._localise)

    def _localise(self) -> None:
        lang = getattr(self.app, "lang", "en")
        for icon in header_icons(self):
            if icon.tooltip is not None:
                icon.tooltip = pick(STRINGS, "palette_tip", lang)
