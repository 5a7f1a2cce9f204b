"""What the report screen shares with its three tabs.

``ReportContext`` is the one report model the screen hands down: the
organisation, the year shown (the screen changes it), the loaded preview (the
screen loads it) and the lock that keeps a save, an export and a reload from
interleaving. Each tab (``PreviewTab``, ``TextsTab``, ``ExportTab``) gets the
same object and reads it when it needs it; nothing else passes between the
tabs except through the screen (methods down, messages up).

``ReportTab`` is mixed into each tab widget: the app's language and date, the
report texts, and the app's one failure path for its workers.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from textual import getters

from vp_desk.services import reporting
from vp_desk.tui.i18n import pick
from vp_desk.tui.screens.report_strings import STRINGS
from vp_desk.tui.workers import WorkerFailures

if TYPE_CHECKING:
    from vp_desk.tui.app import VpDeskApp

#: The threshold before a report is loaded (the service's default).
DEFAULT_THRESHOLD = 5


@dataclass
class ReportContext:
    """One organisation's report for one year, as the report screen holds it."""

    org_id: int
    year: int
    #: A fixed date (tests, the demo); ``None``: the app's date.
    today: date | None = None
    #: The report as last loaded (``None`` until the first load).
    preview: reporting.Preview | None = None
    #: One vault job at a time: a save, an export and a reload never interleave.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def threshold(self) -> int:
        return self.preview.report.threshold if self.preview else DEFAULT_THRESHOLD


class ReportTab(WorkerFailures):
    """Mixed into a tab widget of the report screen (before the Textual base class)."""

    if TYPE_CHECKING:
        app = getters.app(VpDeskApp)

    def __init__(self, context: ReportContext, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context

    @property
    def lang(self) -> str:
        return getattr(self.app, "lang", "nl")

    @property
    def today(self) -> date:
        if self.context.today is not None:
            return self.context.today
        try:
            return getattr(self.app, "today", None) or date.today()
        except RuntimeError:  # not mounted in an app (Textual's NoActiveAppError)
            return date.today()

    def _s(self, key: str, **params: object) -> str:
        return pick(STRINGS, key, self.lang, **params)
