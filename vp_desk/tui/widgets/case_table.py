"""A case list that renders only the rows on screen (Line API, as Toolong does).

A DataTable filled with 10,000 rows takes seconds to appear. ``CaseTable``
knows only the number of matching cases and fetches rows a page at a time
through a callable ``fetch(offset, limit)`` (``Desk.list_cases`` with the
current filter), keeping a few pages in a small cache. The first row is a
header that stays in place while the rows scroll.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import getters
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from vp_desk import vocabulary as voc
from vp_desk.domain.models import CaseSummary
from vp_desk.tui.i18n import pick
from vp_desk.tui.safe import safe_line

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

Fetch = Callable[[int, int], Sequence[CaseSummary]]

STRINGS = {
    "code": ("Code", "Code"),
    "opened": ("Geopend", "Opened"),
    "status": ("Status", "Status"),
    "behaviour": ("Hoofdgedrag", "Primary behaviour"),
    "follow_up": ("Vervolg op", "Follow-up"),
    "closed": ("Gesloten", "Closed"),
    "flags": ("Let op", "Flags"),
    "hold": ("bewaarplicht", "legal hold"),
    "destroyed": ("vernietigd", "destroyed"),
    "past": ("over termijn", "past retention"),
    "empty": ("Geen casussen gevonden.", "No cases found."),
}

# (key, width); the behaviour column takes what is left. A date is 10 wide.
COLUMNS = (
    ("code", 10),
    ("opened", 11),
    ("status", 10),
    ("behaviour", 0),
    ("follow_up", 11),
    ("closed", 11),
    ("flags", 14),
)
MIN_BEHAVIOUR = 18
#: Left out, in this order, while the row would not fit (80 columns: the status
#: already says closed, so the closing date goes first).
DROP_WHEN_NARROW = ("closed",)


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


class CaseTable(ScrollView, can_focus=True):
    """Rows of cases, fetched by offset; enter (or a click) selects a case."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    PAGE = 100
    CACHED_PAGES = 8

    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", show=False),
    ]

    COMPONENT_CLASSES = {"case-table--header", "case-table--cursor", "case-table--empty"}

    DEFAULT_CSS = """
    CaseTable { height: 1fr; overflow-x: hidden; }
    CaseTable > .case-table--header { text-style: bold; background: $panel; }
    CaseTable > .case-table--cursor { background: $block-cursor-background;
                                      color: $block-cursor-foreground; }
    CaseTable:blur > .case-table--cursor { background: $block-cursor-blurred-background; }
    CaseTable > .case-table--empty { color: $text-muted; }
    """

    cursor_row: reactive[int] = reactive(0, always_update=True)

    @dataclass
    class Selected(Message):
        table: CaseTable
        case_id: int

        @property
        def control(self) -> CaseTable:
            return self.table

    def __init__(
        self,
        lang: str = "nl",
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.lang = lang
        #: Closed on or before this day (and not held or destroyed): past retention.
        self.retention_cutoff: date | None = None
        self.total = 0
        self._fetch: Fetch | None = None
        self._pages: OrderedDict[int, Sequence[CaseSummary]] = OrderedDict()
        # Drawn rows by (row, cursor state, width): scrolling draws only the new rows.
        self._strips: dict[tuple[int, int, int], Strip] = {}

    # -- data ------------------------------------------------------------------------
    def load(self, total: int, fetch: Fetch, first_page: Sequence[CaseSummary] = ()) -> None:
        """Show a new result: ``total`` rows, fetched through ``fetch``."""
        self.total = total
        self._fetch = fetch
        self._pages.clear()
        self._strips.clear()
        if first_page:
            self._pages[0] = list(first_page)
        self.virtual_size = Size(self._row_width(), total + 1)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.cursor_row = 0
        self.refresh()

    def row(self, index: int) -> CaseSummary | None:
        if not 0 <= index < self.total or self._fetch is None:
            return None
        page_no = index // self.PAGE
        page = self._pages.get(page_no)
        if page is None:
            page = list(self._fetch(page_no * self.PAGE, self.PAGE))
            self._pages[page_no] = page
            while len(self._pages) > self.CACHED_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(page_no)
        offset = index - page_no * self.PAGE
        return page[offset] if offset < len(page) else None

    @property
    def current(self) -> CaseSummary | None:
        return self.row(self.cursor_row)

    def move_to_case(self, case_id: int) -> bool:
        """Put the cursor on ``case_id`` if it is in the first pages (after a save)."""
        for index in range(min(self.total, self.PAGE * 2)):
            item = self.row(index)
            if item is not None and item.id == case_id:
                self.cursor_row = index
                return True
        return False

    # -- layout --------------------------------------------------------------------------
    def _shown(self) -> list[int]:
        """The indexes of the columns that fit the width (all of them from about 100)."""
        width = self.scrollable_content_region.width
        shown = list(range(len(COLUMNS)))
        keys = [key for key, _ in COLUMNS]
        for key in DROP_WHEN_NARROW:
            fixed = sum(COLUMNS[i][1] + 1 for i in shown) + 2
            if fixed + MIN_BEHAVIOUR <= width:
                break
            shown.remove(keys.index(key))
        return shown

    def _widths(self) -> list[int]:
        """Widths of the columns, 0 for a column left out."""
        shown = self._shown()
        fixed = sum(COLUMNS[i][1] + 1 for i in shown) + 2
        rest = max(MIN_BEHAVIOUR, self.scrollable_content_region.width - fixed)
        return [(w or rest) if i in shown else 0 for i, (_, w) in enumerate(COLUMNS)]

    def _row_width(self) -> int:
        widths = [w for w in self._widths() if w]
        return sum(widths) + len(widths) + 1

    def on_resize(self) -> None:
        self.virtual_size = Size(self._row_width(), self.total + 1)

    def notify_style_update(self) -> None:
        self._strips.clear()
        super().notify_style_update()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def _cells(self, case: CaseSummary) -> list[Text]:
        flags = []
        if case.legal_hold:
            flags.append(pick(STRINGS, "hold", self.lang))
        if case.destroyed:
            flags.append(pick(STRINGS, "destroyed", self.lang))
        elif (
            self.retention_cutoff is not None
            and case.closed is not None
            and not case.legal_hold
            and case.closed <= self.retention_cutoff
        ):
            flags.append(pick(STRINGS, "past", self.lang))
        values = [
            case.code,
            _day(case.opened),
            voc.label("status", case.status, self.lang),
            voc.label("behaviour", case.primary_behaviour, self.lang)
            if case.primary_behaviour
            else "",
            _day(case.follow_up),
            _day(case.closed),
            ", ".join(flags),
        ]
        return [safe_line(v) for v in values]

    def _line(self, cells: list[Text], style: Style) -> Strip:
        line = Text(" ", no_wrap=True, end="")
        for cell, width in zip(cells, self._widths()):
            if not width:
                continue
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis", pad=True)
            line.append_text(cell)
            line.append(" ")
        line.stylize(style)
        segments = [s for s in line.render(self.app.console) if s.text != "\n"]
        return Strip(segments)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            style = base + self.get_component_rich_style("case-table--header")
            cells = [Text(pick(STRINGS, key, self.lang)) for key, _ in COLUMNS]
            strip = self._line(cells, style)
        else:
            index = scroll_y + y - 1
            case = self.row(index)
            if case is None:
                if self.total == 0 and y == 1:
                    style = base + self.get_component_rich_style("case-table--empty")
                    strip = Strip([Segment(" " + pick(STRINGS, "empty", self.lang), style)])
                else:
                    return Strip.blank(width, base)
            else:
                state = 0 if index != self.cursor_row else (1 if self.has_focus else 2)
                key = (index, state, width)
                cached = self._strips.get(key)
                if cached is not None:
                    strip = cached
                else:
                    style = base
                    if index == self.cursor_row:
                        style = base + self.get_component_rich_style("case-table--cursor")
                    strip = self._strips[key] = self._line(self._cells(case), style)
                    if len(self._strips) > 4 * self.PAGE:
                        self._strips.clear()
        return strip.crop_extend(scroll_x, scroll_x + width, base)

    # -- cursor --------------------------------------------------------------------------
    def watch_cursor_row(self, row: int) -> None:
        visible = max(1, self.scrollable_content_region.height - 1)
        top = int(self.scroll_y)
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + visible:
            self.scroll_to(y=row - visible + 1, animate=False, immediate=True)
        self.refresh()

    def validate_cursor_row(self, row: int) -> int:
        return max(0, min(row, self.total - 1)) if self.total else 0

    def action_cursor(self, delta: int) -> None:
        self.cursor_row += delta

    def action_page(self, direction: int) -> None:
        self.cursor_row += direction * max(1, self.size.height - 2)

    def action_jump(self, where: int) -> None:
        self.cursor_row = self.total - 1 if where < 0 else 0

    def action_select(self) -> None:
        case = self.current
        if case is not None:
            self.post_message(self.Selected(self, case.id))

    def on_click(self, event: Click) -> None:
        if event.y < 1:
            return
        self.cursor_row = int(self.scroll_y) + event.y - 1
        if event.chain >= 2:
            self.action_select()
