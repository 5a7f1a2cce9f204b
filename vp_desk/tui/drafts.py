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


# -- dialogs whose fields are kept as they are (issue 13, h21-drafts) -----------------------------
def field_values(node: Any, ids: Iterable[str]) -> dict[str, Any]:
    """The values of the fields ``ids`` under ``node`` (Input, Select, Checkbox,
    Switch, RadioSet), JSON-able. An Input with ``password=True`` is skipped:
    a passphrase is never in a draft."""
    from textual.widgets import Checkbox, Input, RadioSet, Select, Switch

    values: dict[str, Any] = {}
    for field_id in ids:
        found = node.query(f"#{field_id}")
        if not found:
            continue
        widget = found.first()
        if isinstance(widget, Input):
            if widget.password:  # a passphrase: never in a draft
                continue
            values[field_id] = widget.value
        elif isinstance(widget, Select):
            if widget.value is not Select.BLANK:
                values[field_id] = str(widget.value)
        elif isinstance(widget, (Checkbox, Switch)):
            values[field_id] = bool(widget.value)
        elif isinstance(widget, RadioSet):
            pressed = widget.pressed_button
            if pressed is not None and pressed.id:
                values[field_id] = pressed.id
    return values


def put_field_values(node: Any, ids: Iterable[str], values: dict[str, Any]) -> None:
    """Fill the fields ``ids`` under ``node`` back in from ``values``; no Changed
    handler runs (the values are final). Call it from ``node``'s own handler."""
    from textual.widgets import Checkbox, Input, RadioButton, RadioSet, Select, Switch
    from textual.widgets.select import InvalidSelectValueError

    quiet = (Input.Changed, Select.Changed, Checkbox.Changed, Switch.Changed, RadioSet.Changed)
    for field_id in ids:
        if field_id not in values:
            continue
        value = values[field_id]
        found = node.query(f"#{field_id}")
        if not found:
            continue
        widget = found.first()
        with node.prevent(*quiet):  # (prevent is per task: the running handler's)
            if isinstance(widget, Input) and not widget.password and isinstance(value, str):
                widget.value = value
            elif isinstance(widget, Select) and isinstance(value, str):
                try:  # every Select kept has str values; one no longer offered stays
                    widget.value = value
                except InvalidSelectValueError:
                    pass
            elif isinstance(widget, (Checkbox, Switch)) and isinstance(value, bool):
                widget.value = value
            elif isinstance(widget, RadioSet) and isinstance(value, str):
                for button in widget.query(RadioButton):
                    if button.id == value:
                        button.value = True


class FieldValues:
    """Mixed into a screen or dialog whose typed values are kept over a lock.

    It names its ``DRAFT_KIND`` and the ids of its fields in ``DRAFT_FIELDS``.
    :meth:`field_draft` holds their values, with ``draft_extra()`` (what is
    needed to reopen it: the organisation's id among them, so shredding it
    erases the draft), only when a value differs from how it opened. A restorer
    made by :func:`field_restorer` reopens it and puts the values back once it
    is mounted (``draft_fill``). A dialog uses :class:`FieldDrafts`; a full
    screen offers ``draft_payload`` only while it holds something (the app keeps
    its navigation keys away from a screen with a callable ``draft_payload``).

    A passphrase is NEVER kept: an Input with ``password=True`` is skipped even
    when it is listed, so a one-time hand-over passphrase or the current
    passphrase never reaches the vault's drafts table.
    """

    DRAFT_KIND = ""
    DRAFT_FIELDS: tuple[str, ...] = ()
    #: Values to put back once mounted (a draft being restored).
    draft_fill: dict[str, Any] | None = None
    _draft_start: dict[str, Any] | None = None

    def draft_extra(self) -> dict[str, Any]:
        """What the restorer needs besides the fields (``org_id``, ``title``...)."""
        return {}

    def draft_wanted(self) -> bool:
        """False once the dialog's work is done (nothing left to bring back)."""
        return True

    def draft_values(self) -> dict[str, Any]:
        return field_values(self, self.DRAFT_FIELDS)

    def on_mount(self) -> None:
        # Textual runs every class's on_mount: this one after the dialog's own.
        self._draft_start = self.draft_values()
        fill, self.draft_fill = self.draft_fill, None
        if fill:
            put_field_values(self, self.DRAFT_FIELDS, fill)

    def field_draft(self) -> dict | None:
        if not getattr(self, "is_attached", False) or self._draft_start is None:
            return None
        try:  # (read by a property on screens too: a lock is never stopped by a form)
            if not self.draft_wanted():
                return None
            values = self.draft_values()
        except Exception:
            return None
        if values == self._draft_start:
            return None  # as it opened: nothing to keep
        return {"kind": self.DRAFT_KIND, **self.draft_extra(), "fields": values}


class FieldDrafts(FieldValues):
    """A dialog's :class:`FieldValues`, always offered as a draft (see there)."""

    def draft_payload(self) -> dict | None:
        return self.field_draft()


def organisation_exists(app: Any, org_id: Any) -> bool:
    """A draft whose organisation is gone (shredded meanwhile) is dropped quietly."""
    if not isinstance(org_id, int) or isinstance(org_id, bool) or app.desk is None:
        return False
    from vp_desk.errors import VpDeskError

    try:
        app.desk.organisation(org_id)
    except VpDeskError:
        return False
    return True


def field_restorer(make: Callable[[Any, dict], Any]) -> Restorer:
    """A restorer for a :class:`FieldDrafts` dialog: ``make(app, payload)`` pushes
    what lies under it (if anything) and returns the dialog, or None to drop the
    draft quietly; the dialog is pushed with the kept values to put back."""

    def restore(app: Any, payload: dict) -> None:
        if "org_id" in payload and not organisation_exists(app, payload.get("org_id")):
            return
        made = make(app, payload)
        if made is None:
            return
        dialog, callback = made if isinstance(made, tuple) else (made, None)
        fields = payload.get("fields")
        dialog.draft_fill = dict(fields) if isinstance(fields, dict) else None
        app.push_screen(dialog, callback)

    return restore
