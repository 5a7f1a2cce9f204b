"""Textual's footer, rebuilt once however often the bindings change before it is.

Textual's ``Footer`` throws away and rebuilds every key whenever the screen
says its bindings changed, and at a screen switch it is told so several times
in a row (mount, focus, the app's refresh_bindings): on the dashboard after
unlock that was four to five rebuilds of ~25 ms each, on the way to the first
frame (benchmarks/bench_tui.py). Here a rebuild that is already queued absorbs
the later notices; it reads the bindings when it runs, so it shows the newest.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer

from vp_desk.tui.textual_compat import mark_footer_bindings_ready


class CoalescingFooter(Footer):
    _rebuild_queued = False

    def bindings_changed(self, screen: Screen) -> None:
        mark_footer_bindings_ready(self)
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_queued:
            self._rebuild_queued = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_queued = False
        await self.recompose()
