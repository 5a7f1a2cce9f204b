"""Form fields with their validation message right below them.

The domain raises ``ValidationError`` with one message code per field; a form
built from ``labelled()`` shows each code, in the user's language, under the
field it belongs to (``show_field_errors``), and the first bad field gets the
focus.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label

from vp_desk.domain.models import MAX_NOTES
from vp_desk.i18n import t

# The ``.field`` rules (label, error line, -invalid) live in the .tcss file of
# each screen that uses ``labelled`` (docs/architecture.md, "Styles").

# Parameters some message codes need (vp_desk.i18n).
_PARAMS: dict[str, dict[str, object]] = {
    "too_long": {"max": MAX_NOTES},
    "range": {"low": 0, "high": 1440},
    "unknown_code": {"value": "?"},
}


def labelled(name: str, label: str, widget: Widget) -> Vertical:
    """``label`` above ``widget`` and an (empty) error line below; ``name`` is the domain field."""
    return Vertical(
        Label(Text(label), classes="field-label"),
        widget,
        Label("", id=f"err-{name}", classes="field-error"),
        id=f"field-{name}",
        classes="field",
    )


def message(code: str, lang: str, *, max_notes: int = MAX_NOTES) -> str:
    params = dict(_PARAMS.get(code, {}))
    if code == "too_long":
        params["max"] = max_notes
    return t(code, lang, **params)


def clear_field_errors(screen: Screen) -> None:
    for field in screen.query(".field.-invalid"):
        field.remove_class("-invalid")
        field.query_one(".field-error", Label).update("")


def show_field_errors(
    screen: Screen,
    errors: Mapping[str, str],
    lang: str,
    aliases: Mapping[str, str] | None = None,
    max_notes: int = MAX_NOTES,
) -> list[str]:
    """Show each message under its field; returns the messages with no field on screen."""
    clear_field_errors(screen)
    unplaced: list[str] = []
    first: Widget | None = None
    for name, code in errors.items():
        target = (aliases or {}).get(name, name)
        text = message(code, lang, max_notes=max_notes)
        try:
            field = screen.query_one(f"#field-{target}", Vertical)
        except NoMatches:
            unplaced.append(text)
            continue
        field.add_class("-invalid")
        field.query_one(f"#err-{target}", Label).update(Text(text))
        if first is None:
            focusable = [w for w in field.children if w.focusable]
            first = focusable[0] if focusable else None
    if first is not None:
        first.focus()
    return unplaced
