"""Errors of the report engine: plain sentences, never case content."""

from __future__ import annotations

from vp_desk.errors import VpDeskError


class DisclosureError(VpDeskError):
    """The disclosure audit found something that could be worked out; nothing was written."""

    exit_code = 1

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(
            "The report was not written: the disclosure check found that a hidden "
            "count could be worked out (" + "; ".join(self.problems[:3]) + "). "
            "Please report this as a bug."
        )


class TextNeedsReview(VpDeskError):
    """The free text holds what looks like personal data and was not confirmed."""

    exit_code = 1

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__(
            "The report was not written: the free text seems to contain personal "
            "data (" + "; ".join(self.lines) + "). Edit the text, or confirm that "
            "it may go to the employer as it is (--confirm-text, or 'Confirm text' "
            "in the report screen)."
        )


class LedgerConflict(VpDeskError):
    """A re-issue whose differences with an earlier written report would single out < k cases."""

    exit_code = 1

    def __init__(self, year: int, issued: str, figures: list[str], k: int):
        self.year, self.issued, self.figures, self.k = year, issued, list(figures), k
        super().__init__(
            f"A report for {year} was already written on {issued} (a draft or a final one: any "
            "written report may reach the employer). Since then the case figures changed in a "
            f"way that concerns fewer than {k} cases ({'; '.join(self.figures[:6])}), so "
            "comparing the two reports would single those cases out. Either keep the report "
            f"already written (and wait until the changes concern at least {k} cases), or write "
            "it again with the case figures withheld: add --withhold-changes."
        )
