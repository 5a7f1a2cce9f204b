"""An explicit copy to the clipboard that does not linger (docs/architecture.md, "Security rules").

Only what the user asked for is copied (a case code, say), and 20 seconds
later the clipboard is overwritten with an empty string, unless something
else was copied meanwhile. Locking the desk clears it at once.
"""

from __future__ import annotations

from textual.app import App
from textual.timer import Timer

from vp_desk.textsafe import clean_line

CLEAR_AFTER_SECONDS = 20.0
_TIMER = "_vp_clipboard_timer"
_COPIED = "_vp_clipboard_text"


def copy_to_clipboard(app: App, text: str, *, clear_after: float = CLEAR_AFTER_SECONDS) -> str:
    """Copy one line of ``text``; returns what was copied."""
    value = clean_line(text)
    app.copy_to_clipboard(value)
    _stop_timer(app)
    setattr(app, _COPIED, value)
    setattr(
        app,
        _TIMER,
        app.set_timer(
            clear_after, lambda: clear_clipboard(app, only=value), name="clipboard-clear"
        ),
    )
    return value


def clear_clipboard(app: App, *, only: str | None = None) -> None:
    """Empty the clipboard if it still holds what we copied (or ``only``)."""
    copied = getattr(app, _COPIED, None)
    if copied is None or (only is not None and copied != only):
        return
    _stop_timer(app)
    setattr(app, _COPIED, None)
    if app.clipboard == copied:
        app.copy_to_clipboard("")


def _stop_timer(app: App) -> None:
    timer: Timer | None = getattr(app, _TIMER, None)
    if timer is not None:
        timer.stop()
        setattr(app, _TIMER, None)
