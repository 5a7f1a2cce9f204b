"""Each organisation's appointment terms (the *aanstellingsbrief*): start, end,
agreed hours per year, and whether the adviser is internal or external there.

Kept in the index vault (table ``org_terms``), one row per organisation,
removed with the organisation. Every field is optional: an adviser fills in
what the letter says. The annual report shows the hours against the agreed
hours; the agenda reminds of a contract end and the hand-over it calls for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from vp_desk.errors import ValidationError

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

KINDS = ("internal", "external")
MAX_AGREED_HOURS = 10_000


@dataclass(frozen=True)
class Terms:
    org_id: int
    start: date | None = None
    end: date | None = None
    agreed_hours: int | None = None
    kind: str | None = None  # "internal" / "external" / None (the desk's default)

    @property
    def empty(self) -> bool:
        return (
            self.start is None and self.end is None and self.agreed_hours is None and not self.kind
        )


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def get_terms(desk: Desk, org_id: int) -> Terms:
    row = desk.index.execute(
        "SELECT start_date, end_date, agreed_hours, kind FROM org_terms WHERE org_id = ?",
        (org_id,),
    ).fetchone()
    if row is None:
        return Terms(org_id)
    return Terms(org_id, _day(row[0]), _day(row[1]), row[2], row[3])


def all_terms(desk: Desk) -> dict[int, Terms]:
    return {
        r[0]: Terms(r[0], _day(r[1]), _day(r[2]), r[3], r[4])
        for r in desk.index.execute(
            "SELECT org_id, start_date, end_date, agreed_hours, kind FROM org_terms"
        )
    }


def validate_terms(
    start: object, end: object, agreed_hours: object, kind: object
) -> dict[str, Any]:
    """Typed values from form or command-line input; ValidationError with message codes."""
    from vp_desk.domain.models import parse_date

    errors: dict[str, str] = {}

    def as_date(field: str, value: object) -> date | None:
        if value in (None, ""):
            return None
        if isinstance(value, date):
            return value
        try:
            parsed = parse_date(str(value).strip())
        except (ValueError, OverflowError):
            parsed = None
        if parsed is None:
            errors[field] = "bad_date"
        return parsed

    first, last = as_date("contract_start", start), as_date("contract_end", end)
    if first and last and last < first:
        errors["contract_end"] = "contract_end_before_start"
    hours: int | None = None
    if agreed_hours not in (None, ""):
        try:
            hours = int(str(agreed_hours).strip())
        except ValueError:
            errors["agreed_hours"] = "not_a_number"
        else:
            if not 0 <= hours <= MAX_AGREED_HOURS:
                errors["agreed_hours"] = "agreed_hours_range"
    chosen = (str(kind).strip() or None) if kind is not None else None
    if chosen is not None and chosen not in KINDS:
        errors["kind"] = "unknown_code"
    if errors:
        raise ValidationError(errors)
    return {"start": first, "end": last, "agreed_hours": hours, "kind": chosen}


def set_terms(
    desk: Desk,
    org_id: int,
    *,
    start: object = None,
    end: object = None,
    agreed_hours: object = None,
    kind: object = None,
) -> Terms:
    desk.organisation(org_id)  # NotFound for an unknown organisation
    v = validate_terms(start, end, agreed_hours, kind)
    with desk.index_tx("org.terms", f"org {org_id}"):
        desk.index.execute(
            "INSERT OR REPLACE INTO org_terms(org_id, start_date, end_date, agreed_hours, kind) "
            "VALUES (?,?,?,?,?)",
            (
                org_id,
                v["start"].isoformat() if v["start"] else None,
                v["end"].isoformat() if v["end"] else None,
                v["agreed_hours"],
                v["kind"],
            ),
        )
    return get_terms(desk, org_id)
