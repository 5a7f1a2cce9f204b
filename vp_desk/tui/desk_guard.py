"""The app's handle on an open Desk, safe to close while workers use it.

Screens query the desk from thread workers. Closing a SQLite connection
while another thread is stepping a statement on it crashes the process (a
segmentation fault in the sqlite3 module), and a lock may come at any moment.
So the app never hands out the bare ``Desk``: ``DeskGuard`` passes every call
through, counts the calls in flight, refuses new ones once closing has begun
(``DeskLocked``, a VpDeskError a worker already catches) and closes the
vaults only when the last call has returned.
"""

from __future__ import annotations

import functools
import inspect
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from vp_desk.errors import VpDeskError

if TYPE_CHECKING:
    # To a type checker the guard is the Desk it passes every call through to.
    from vp_desk.services.desk import Desk
    from vp_desk.services.desk import Desk as _Passthrough
else:
    _Passthrough = object


class DeskLocked(VpDeskError):
    def __init__(self) -> None:
        super().__init__(key="err_desk_locked")


class DeskGuard(_Passthrough):
    def __init__(self, desk: Any) -> None:
        object.__setattr__(self, "_desk", desk)
        object.__setattr__(self, "_state", threading.Condition())
        object.__setattr__(self, "_active", 0)
        object.__setattr__(self, "_closing", False)
        object.__setattr__(self, "_closed", False)

    # -- pass-through --------------------------------------------------------------------
    def __getattr__(self, name: str) -> Any:
        value = getattr(self._desk, name)
        # Only the Desk's own methods are counted; attributes (the vault, a
        # connection, which is callable too) are handed out as they are.
        if name.startswith("_") or not inspect.ismethod(value):
            return value

        @functools.wraps(value)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            with self.in_use():
                return value(*args, **kwargs)

        return guarded

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._desk, name, value)

    @contextmanager
    def in_use(self) -> Iterator[Desk]:
        """Hold the desk open for a longer piece of work (a worker's whole body)."""
        with self._state:
            if self._closing:
                raise DeskLocked()
            object.__setattr__(self, "_active", self._active + 1)
        try:
            yield self._desk
        finally:
            with self._state:
                object.__setattr__(self, "_active", self._active - 1)
                self._state.notify_all()

    # -- closing ---------------------------------------------------------------------------
    @property
    def busy(self) -> bool:
        return self._active > 0

    @property
    def closed(self) -> bool:
        return self._closed

    def begin_close(self) -> None:
        """From now on every call raises DeskLocked; calls under way run to the end."""
        with self._state:
            object.__setattr__(self, "_closing", True)

    def close_if_idle(self) -> bool:
        """Close the vaults (keys dropped) if no call is under way; True once closed."""
        with self._state:
            object.__setattr__(self, "_closing", True)
            if self._closed:
                return True
            if self._active:
                return False
            object.__setattr__(self, "_closed", True)
        self._desk.close()
        return True

    def close(self, timeout: float = 30.0) -> bool:  # type: ignore[override]  # waits, then tells
        """Wait up to ``timeout`` seconds for calls under way, then close."""
        with self._state:
            object.__setattr__(self, "_closing", True)
            self._state.wait_for(lambda: self._active == 0, timeout=timeout)
        return self.close_if_idle()


def hold(desk: Any):
    """``desk.in_use()`` for a guarded desk; a bare Desk (tests) is used as it is."""
    if isinstance(desk, DeskGuard):
        return desk.in_use()
    from contextlib import nullcontext

    return nullcontext(desk)
