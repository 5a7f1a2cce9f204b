"""Notifications that never interpret their text.

``App.notify`` parses its message as markup by default and passes control
characters through; ``notify_safe`` cleans both message and title and turns
markup off, so a case code or organisation name is shown as typed.
"""

from __future__ import annotations

from textual.app import App
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from vp_desk.textsafe import clean_line, clean_text


def notify_safe(
    target: App | DOMNode,
    message: object,
    *,
    title: object = "",
    severity: SeverityLevel = "information",
    timeout: float | None = None,
) -> None:
    app = target if isinstance(target, App) else target.app
    app.notify(
        clean_text(str(message)),
        title=clean_line(str(title)),
        severity=severity,
        timeout=timeout,
        markup=False,
    )
