"""Every use of Textual's private API, in one place.

vp_desk relies on a few Textual internals (names with a leading underscore)
where Textual has no public API yet: rewriting footer labels per language,
listing a screen's keys in the help, the footer's "bindings ready" flag,
reading back notifications in tests, the toast widget and the compositor's
full frame in tests. Nothing else in
``vp_desk`` or ``tests`` touches ``textual`` internals; ``tests/tui/
test_textual_compat.py`` checks each of them against the installed Textual
and fails with a clear message when one changes. The Textual version is
pinned in requirements-lock.txt; after raising it, run that test first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.binding import BindingsMap
from textual.dom import DOMNode

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import Notification
    from textual.widget import Widget
    from textual.widgets import Footer

#: The Textual release these internals were checked against (requirements-lock.txt).
CHECKED_WITH = "8.2.8"


def bindings(node: DOMNode) -> BindingsMap:
    """The node's own key bindings, as the footer and the help read them."""
    found: BindingsMap = node._bindings
    return found


def set_bindings(node: DOMNode, value: BindingsMap) -> None:
    """Replace the node's own key bindings (footer labels in another language)."""
    node._bindings = value


def class_bindings(node: DOMNode) -> BindingsMap | None:
    """The bindings the node's classes declare, before any change at run time."""
    merged: BindingsMap | None = node._merged_bindings
    return merged


def mark_footer_bindings_ready(footer: Footer) -> None:
    """What Textual's ``Footer.bindings_changed`` does first (our footer replaces that method)."""
    footer._bindings_ready = True


def notifications(app: App[Any]) -> list[Notification]:
    """The notifications currently held by the app (tests read what a user was told)."""
    return list(app._notifications)


def toast_class() -> type[Any]:
    """Textual's toast widget (tests look at what a toast renders)."""
    from textual.widgets._toast import Toast

    return Toast


def full_frame(app: App[Any]) -> Any:
    """The compositor's full update of the current screen stack (what the terminal gets)."""
    return app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)


def header_icons(header: Widget) -> list[Widget]:
    """The header's corner icon(s) (Textual's private ``HeaderIcon``)."""
    from textual.widgets._header import HeaderIcon

    return list(header.query(HeaderIcon))


def select_allows_blank(select: Any) -> bool:
    """Whether a ``Select`` shows its prompt while nothing is chosen (tests)."""
    return bool(select._allow_blank)
