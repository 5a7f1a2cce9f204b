"""Unsaved forms kept over a lock (docs/architecture.md, "Security rules", auto-lock).

A screen with unsaved input implements ``draft_payload(self) -> dict | None``
(JSON-able, with a "kind"; optional "org_id", so erasing that organisation
erases the draft too, and "title", a short plain description). On lock the
app calls ``save_all``: every payload goes into the encrypted index vault
with ``Desk.save_draft``. A module says how to reopen its kind with
``register_restorer(kind, fn)``; ``fn(app, payload)`` pushes the form filled
in. After unlock the app offers each draft back (restore or discard) and
deletes it once handled.

The module that made a draft is recorded in the payload ("_module"), so it
can be imported (and its restorer registered) after a restart.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterable
from typing import Any

from vp_desk.i18n import lookup, register

Restorer = Callable[[Any, dict], None]

_RESTORERS: dict[str, Restorer] = {}
#: The offer's name of each kind of draft, ``{kind: (dutch, english)}``, filled by
#: ``register_restorer`` (the forms register their kinds when imported).
_LABELS: dict[str, tuple[str, str]] = {}
register("vp_desk.tui.drafts:LABELS", _LABELS)
MODULE_KEY = "_module"
_PACKAGE = "vp_desk.tui."
#: Drafts remember the module of the form that made them; dialogs moved to
#: ``tui/dialogs/`` (issue 14), so a draft saved before that still finds its module.
_MOVED = {"vp_desk.tui.screens.case_dialogs": "vp_desk.tui.dialogs.case_dialogs"}


def register_restorer(kind: str, fn: Restorer, *, label: tuple[str, str] | None = None) -> None:
    """How to reopen drafts of ``kind``; ``label`` (nl, en) names the kind in the offer."""
    _RESTORERS[kind] = fn
    if label is not None:
        _LABELS[kind] = label


def restorer(kind: str) -> Restorer | None:
    return _RESTORERS.get(kind)


def kind_label(kind: str, lang: str) -> str:
    if kind not in _LABELS:
        return kind.replace("_", " ")
    return lookup(_LABELS, kind, lang)


def draft_id(payload: dict) -> str:
    """``org<N>:...`` for an organisation's draft (so shredding it removes the draft)."""
    token = os.urandom(6).hex()  # (no secrets import before the unlock screen)
    org_id = payload.get("org_id")
    if isinstance(org_id, int) and not isinstance(org_id, bool):
        return f"org{org_id}:{payload['kind']}:{token}"
    return f"desk:{payload['kind']}:{token}"


def collect(screens: Iterable[Any]) -> list[dict]:
    """The draft payloads of ``screens`` (bottom to top). A screen that fails
    to give one is skipped: a lock must never be stopped by a form."""
    payloads: list[dict] = []
    for screen in screens:
        method = getattr(screen, "draft_payload", None)
        if not callable(method):
            continue
        try:
            payload = method()
        except Exception:
            continue
        if not isinstance(payload, dict) or not isinstance(payload.get("kind"), str):
            continue
        payload = dict(payload)
        payload.setdefault(MODULE_KEY, type(screen).__module__)
        payloads.append(payload)
    return payloads


def save_all(desk: Any, screens: Iterable[Any]) -> int:
    """Save the drafts of ``screens`` in ``desk``; returns how many were kept."""
    saved = 0
    for payload in collect(screens):
        try:
            desk.save_draft(draft_id(payload), payload)
        except Exception:
            continue
        saved += 1
    return saved


def load_restorer(payload: dict) -> Restorer | None:
    """The restorer of ``payload``'s kind, importing the module that made it if needed."""
    kind = payload.get("kind")
    if not isinstance(kind, str):
        return None
    found = _RESTORERS.get(kind)
    module = payload.get(MODULE_KEY)
    if isinstance(module, str):
        module = _MOVED.get(module, module)
    if found is None and isinstance(module, str) and module.startswith(_PACKAGE):
        try:
            importlib.import_module(module)
        except ImportError:
            return None
        found = _RESTORERS.get(kind)
    return found


def restore(app: Any, draft: str, payload: dict) -> bool:
    """Reopen one draft and delete it from the vault; False if it cannot be reopened."""
    fn = load_restorer(payload)
    if fn is None:
        return False
    fn(app, payload)
    app.desk.delete_draft(draft)
    return True


def discard(app: Any, draft: str) -> None:
    app.desk.delete_draft(draft)
