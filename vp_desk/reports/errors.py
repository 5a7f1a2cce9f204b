"""Errors of the report engine: plain sentences, never case content."""

from __future__ import annotations

from vp_desk.errors import VpDeskError


class DisclosureError(VpDeskError):
    """The disclosure audit found something that could be worked out; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(key="err_disclosure", problems="; ".join(self.problems[:3]))


class TextNeedsReview(VpDeskError):
    """The free text holds what looks like personal data and was not confirmed."""

    exit_code = 1

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__(key="err_text_review", lines="; ".join(self.lines))


class LedgerConflict(VpDeskError):
    """A re-issue whose differences with an earlier written report would single out < k cases."""

    exit_code = 1

    def __init__(self, year: int, issued: str, figures: list[str], k: int):
        self.year, self.issued, self.figures, self.k = year, issued, list(figures), k
        super().__init__(
            key="err_ledger_conflict",
            year=year,
            issued=issued,
            k=k,
            figures="; ".join(self.figures[:6]),
        )
