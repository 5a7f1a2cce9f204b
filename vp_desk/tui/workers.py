"""The one path for background work that fails.

Textual posts ``Worker.StateChanged`` to the node that started the worker and
does not bubble it. Every screen that runs workers mixes in ``WorkerFailures``,
which hands the message to the app's ``on_worker_state_changed``: one place
decides what a failed worker shows (a translated notice; a line in Textual's
dev log; nothing on disk). Workers catch only the errors they expect and
explain in place (a ``VpDeskError`` with its own sentence); anything else
escapes the worker and ends up there. ``DeskLocked`` is the one silent case.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual import getters
from textual.worker import Worker

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from vp_desk.tui.app import VpDeskApp

    _MixedInto = DOMNode
else:
    _MixedInto = object


class WorkerFailures(_MixedInto):
    """Mixed into a screen or widget whose workers report failures through the app."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        handler: Any = getattr(self.app, "on_worker_state_changed", None)
        if handler is not None and self.app is not self:
            handler(event)
