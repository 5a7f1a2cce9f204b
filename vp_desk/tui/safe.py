"""Showing user text safely (docs/architecture.md, "Security rules", terminal safety).

Every string that came from a user or a file goes to a widget through
``safe_text``: control, C1 and bidi characters are stripped again (they were
stripped on the way in, but an imported or older vault may hold them), and the
result is a ``rich.text.Text``, which Textual never parses as markup. Plain
``str`` given to Static, DataTable cells, Tree labels, OptionList items or
``notify()`` IS parsed as markup: ``[link=https://x]y[/link]`` would crash
the app and ``[@click=app.quit]`` would run an action.
"""

from __future__ import annotations

from rich.text import Text

from vp_desk.textsafe import clean_text


def safe_text(value: object, style: str = "", *, multiline: bool = True) -> Text:
    """User data as a Text object: never markup, never escape sequences."""
    return Text(
        clean_text("" if value is None else str(value), multiline=multiline),
        style=style,
        no_wrap=False,
    )


def safe_line(value: object, style: str = "", *, limit: int | None = None) -> Text:
    """A one-line version (for table cells and list items), optionally cut."""
    text = clean_text("" if value is None else str(value), multiline=False)
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)] + "…"
    return Text(text, style=style, no_wrap=True)
