"""The annual report as published: audited figures plus the words around them.

``AnnualReport`` holds only what the employer may see: the figures come from
``disclosure.protect`` (already audited), the free text has been checked by the
VP. Every output format is rendered from this object, so no renderer can reach
a number that the disclosure control did not pass.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from vp_desk import vocabulary as voc
from vp_desk.reports.aggregate import NONE
from vp_desk.reports.disclosure import MERGED
from vp_desk.reports.strings import s


@dataclass
class AnnualReport:
    organisation: str
    year: int
    lang: str
    figures: dict[str, Any]
    adviser: str = "internal"  # internal / external
    signals: str = ""
    recommendations: str = ""
    drawn_up: date = field(default_factory=date.today)
    draft: bool = False  # a draft is marked "CONCEPT" / "DRAFT" in every format
    agreed_hours: int | None = None  # per year, from the appointment terms (h7-desk)

    @property
    def threshold(self) -> int:
        return int(self.figures["threshold"])

    def title(self, table_id: str) -> str:
        return voc.DIMENSION_TITLES[table_id].label(self.lang)

    def row_label(self, table_id: str, code: str) -> str:
        return row_label(table_id, code, self.lang)

    def note_texts(self) -> list[str]:
        k = self.threshold
        out = []
        for note in self.figures.get("notes") or ():
            params = {key: value for key, value in note.items() if key != "key"}
            if "table" in params:
                params["table"] = self.title(params["table"])
            out.append(
                s(
                    note["key"],
                    self.lang,
                    k=k,
                    km1=k - 1,
                    label=s("merged_label", self.lang),
                    **params,
                )
            )
        return out

    def to_json(self) -> dict[str, Any]:
        """The JSON report's shape (docs/architecture.md, "Command-line contract"), plus the other report contents."""
        f = self.figures
        tables = []
        for t in f.get("tables") or ():
            rows = []
            for r in t["rows"]:
                row = {
                    "code": r["code"],
                    "label": self.row_label(t["id"], r["code"]),
                    "count": r["count"],
                    "suppressed": bool(r["suppressed"]),
                }
                if r["suppressed"] and r.get("suppressed_as") == "hidden":
                    # shown as "hidden", not "fewer than k" (see disclosure.py)
                    row["shown_as"] = "hidden"
                if r.get("members"):
                    row["members"] = list(r["members"])
                    row["members_below_threshold"] = bool(r.get("members_below_threshold"))
                    if r.get("members_nonzero"):
                        row["members_nonzero"] = True  # every member holds at least one case
                rows.append(row)
            tables.append(
                {
                    "id": t["id"],
                    "title": self.title(t["id"]),
                    "multi": t["multi"],
                    "total": t["total"],
                    "rows": rows,
                }
            )
        return {
            "organisation": self.organisation,
            "year": self.year,
            "draft": self.draft,
            "status": s("draft_mark" if self.draft else "final_mark", self.lang),
            "language": self.lang,
            "threshold": self.threshold,
            "adviser": self.adviser,
            "employees": f.get("employees"),
            "new_cases": f.get("new_cases"),
            "open_at_year_end": f.get("open_at_year_end"),
            "consultations": f.get("consultations"),
            "contacts_per_100_employees": f.get("contacts_per_100_employees"),
            "suppressed_figures": list(f.get("suppressed_figures") or ()),
            "small_organisation": (
                None if f.get("withheld") else bool(f.get("small_organisation"))
            ),
            "withheld": bool(f.get("withheld")),
            "tables": tables,
            "activities": [dict(a) for a in f.get("activities") or ()],
            "hours": dict(f["hours"]),
            "signals": self.signals,
            "recommendations": self.recommendations,
            "notes": self.note_texts(),
        } | ({"agreed_hours": self.agreed_hours} if self.agreed_hours is not None else {})


def row_label(table_id: str, code: str, lang: str) -> str:
    if code == MERGED:
        return s("merged_label", lang)
    if code == NONE:
        return s("none_outcome" if table_id == "outcome" else "none_label", lang)
    if table_id == "quarter":
        return s("quarter_label", lang, q=code.lstrip("q"))
    return voc.label(table_id, code, lang)
