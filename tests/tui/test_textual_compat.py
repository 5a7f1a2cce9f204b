"""The Textual internals vp_desk relies on are still there (vp_desk/tui/textual_compat.py).

If this fails after a Textual upgrade, the message names the internal that
changed; fix ``textual_compat`` (and only it) before anything else.
"""

from __future__ import annotations

import pytest
import textual
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.notifications import Notification
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Static

from vp_desk.tui import textual_compat

pytestmark = pytest.mark.asyncio


class _Screen(Screen[None]):
    BINDINGS = [Binding("x", "noop", "key.x", id="probe.x")]

    def compose(self) -> ComposeResult:
        yield Static("probe")


class _App(App[None]):
    BINDINGS = [Binding("y", "noop", "key.y", id="probe.y")]


def _where() -> str:
    return (
        f"Textual {textual.__version__} (checked with {textual_compat.CHECKED_WITH}): "
        "update vp_desk/tui/textual_compat.py"
    )


async def test_every_textual_internal_we_use_is_still_there() -> None:
    app = _App()
    async with app.run_test(size=(40, 10), notifications=True) as pilot:
        await app.push_screen(_Screen())
        await pilot.pause()
        screen = app.screen

        own = textual_compat.bindings(screen)
        assert isinstance(own, BindingsMap), f"Screen._bindings is not a BindingsMap: {_where()}"
        assert "x" in own.key_to_bindings, f"BindingsMap.key_to_bindings changed: {_where()}"
        declared = textual_compat.class_bindings(screen)
        assert isinstance(declared, BindingsMap), f"DOMNode._merged_bindings: {_where()}"

        # Setting the bindings takes effect (the footer labels per language rely on it).
        replaced = declared.copy()
        replaced.key_to_bindings["x"] = [Binding("x", "noop", "changed", id="probe.x")]
        textual_compat.set_bindings(screen, replaced)
        assert textual_compat.bindings(screen).key_to_bindings["x"][0].description == "changed"
        assert any(k == "y" for k, _b in textual_compat.bindings(app)), _where()

        app.notify("hello", markup=False)
        await pilot.pause()
        held = textual_compat.notifications(app)
        assert held and isinstance(held[-1], Notification), f"App._notifications: {_where()}"
        assert held[-1].message == "hello" and held[-1].markup is False, _where()

        toast = textual_compat.toast_class()
        assert issubclass(toast, Widget), f"textual.widgets._toast.Toast: {_where()}"
        for _ in range(100):
            if app.screen.query(toast):
                break
            await pilot.pause(0.02)
        assert app.screen.query(toast), f"no Toast shown: {_where()}"

        from textual.widgets import Footer

        assert "bindings_changed" in vars(Footer), f"Footer.bindings_changed: {_where()}"
        footer = Footer()
        footer._bindings_ready = False
        textual_compat.mark_footer_bindings_ready(footer)
        assert footer._bindings_ready is True
        assert hasattr(Footer, "_bindings_ready"), f"Footer._bindings_ready: {_where()}"

        frame = textual_compat.full_frame(app)
        assert frame is not None, f"Compositor.render_update: {_where()}"


class _HeaderScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        from textual.widgets import Select

        from vp_desk.tui.widgets.header import DeskHeader

        yield DeskHeader(icon="")
        yield Select([("a", 1)], id="blank")
        yield Select([("a", 1)], allow_blank=False, value=1, id="no-blank")


async def test_the_header_icon_and_the_select_blank_flag_are_still_there() -> None:
    from textual.widgets import Header, Select

    app = _App()
    async with app.run_test(size=(40, 10)) as pilot:
        await app.push_screen(_HeaderScreen())
        await pilot.pause()
        await pilot.pause()
        icons = textual_compat.header_icons(app.screen.query_one(Header))
        assert icons, f"textual.widgets._header.HeaderIcon: {_where()}"
        # The desk header puts its hover text in the app's language (English here).
        assert icons[0].tooltip == "Open the command palette", _where()
        assert textual_compat.select_allows_blank(app.screen.query_one("#blank", Select))
        assert not textual_compat.select_allows_blank(app.screen.query_one("#no-blank", Select))
