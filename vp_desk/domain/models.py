"""Domain objects and their validation (docs/architecture.md, "Domain rules").

Inputs arrive as ``*Input`` dataclasses with loosely typed fields (strings
from a form or a spreadsheet, or proper values from code); ``validate()``
returns the clean, typed record or raises ValidationError with one message
code per field. Text is cleaned of control characters on the way in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from vp_desk import vocabulary as voc
from vp_desk.errors import ValidationError
from vp_desk.textsafe import clean_line, clean_text

MAX_NAME = 120
MAX_NOTES = 20_000
MAX_CONSULTATION_NOTES = 10_000
MAX_HOLD_REASON = 500
MAX_MINUTES = 1440
MIN_THRESHOLD = 3
DEFAULT_THRESHOLD = 5
DEFAULT_RETENTION_MONTHS = 12
EARLIEST = date(2000, 1, 1)

_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_DMY = re.compile(r"^\s*(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\s*$")


def today() -> date:
    return date.today()


def parse_date(value: object) -> date | None:
    """A date from a ``date``, ``datetime``, ``YYYY-MM-DD`` or ``D-M-YYYY``; None if empty.

    Raises ValueError for anything else.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        y, mo, d = (int(g) for g in m.groups())
        return date(y, mo, d)
    m = _DMY.match(text)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return date(y, mo, d)
    raise ValueError("bad date")


class _Errors:
    def __init__(self) -> None:
        self.errors: dict[str, str] = {}

    def add(self, name: str, code: str) -> None:
        self.errors.setdefault(name, code)

    def date(
        self, name: str, value: object, *, required: bool = False, allow_future: bool = False
    ) -> date | None:
        try:
            result = parse_date(value)
        except (ValueError, OverflowError):
            self.add(name, "bad_date")
            return None
        if result is None:
            if required:
                self.add(name, "required")
            return None
        if result < EARLIEST:
            self.add(name, "date_too_old")
        elif not allow_future and result > today() + timedelta(days=1):
            self.add(name, "date_future")
        return result

    def code(
        self, name: str, dimension: str, value: object, *, required: bool = False
    ) -> str | None:
        text = "" if value is None else str(value)
        if not text.strip():
            if required:
                self.add(name, "required")
            return None
        found = voc.lookup(dimension, text)
        if found is None:
            self.add(name, "unknown_code")
        return found

    def codes(self, name: str, dimension: str, values: object) -> list[str]:
        if values is None:
            return []
        if isinstance(values, str):
            values = [v for v in re.split(r"[|,]", values)]
        elif not isinstance(values, (list, tuple, set, frozenset)):
            values = [str(values)]
        result: list[str] = []
        for value in values:
            if not str(value).strip():
                continue
            found = voc.lookup(dimension, str(value))
            if found is None:
                self.add(name, "unknown_code")
            elif found not in result:
                result.append(found)
        return result

    def integer(
        self,
        name: str,
        value: object,
        low: int,
        high: int,
        *,
        default: int | None = None,
        code: str = "range",
    ) -> int:
        if value is None or (isinstance(value, str) and not value.strip()):
            if default is None:
                self.add(name, "required")
                return low
            return default
        try:
            number = int(str(value).strip()) if not isinstance(value, int) else value
        except ValueError:
            self.add(name, "not_a_number")
            return low
        if isinstance(number, bool) or not (low <= number <= high):
            self.add(name, code)
        return number

    def text(
        self,
        name: str,
        value: object,
        limit: int,
        *,
        multiline: bool = True,
        required: bool = False,
    ) -> str:
        raw = "" if value is None else str(value)
        text = clean_text(raw).strip() if multiline else clean_line(raw)
        if required and not text:
            self.add(name, "required")
        if len(text) > limit:
            self.add(name, "too_long")
        return text

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


# -- organisations ------------------------------------------------------------


@dataclass
class OrganisationInput:
    name: str
    employees: object = 0
    threshold: object = DEFAULT_THRESHOLD
    retention_months: object = DEFAULT_RETENTION_MONTHS
    lang: str = "nl"


@dataclass(frozen=True)
class Organisation:
    id: int
    vault_id: str
    name: str
    employees: int
    threshold: int
    retention_months: int
    lang: str


def validate_organisation(data: OrganisationInput) -> dict[str, Any]:
    e = _Errors()
    name = e.text("name", data.name, MAX_NAME, multiline=False, required=True)
    # An empty field is a forgotten number, not 0 (issue 13); left out (None) stays 0.
    employees = e.integer(
        "employees",
        data.employees,
        0,
        1_000_000,
        default=None if isinstance(data.employees, str) else 0,
    )
    threshold = e.integer(
        "threshold",
        data.threshold,
        MIN_THRESHOLD,
        1000,
        default=DEFAULT_THRESHOLD,
        code="threshold_min",
    )
    retention = e.integer(
        "retention_months", data.retention_months, 0, 600, default=DEFAULT_RETENTION_MONTHS
    )
    lang = (data.lang or "nl").strip().lower()
    if lang not in ("nl", "en"):
        e.add("lang", "lang")
    e.raise_if_any()
    return {
        "name": name,
        "employees": employees,
        "threshold": threshold,
        "retention_months": retention,
        "lang": lang,
    }


# -- cases ------------------------------------------------------------------------


@dataclass
class CaseInput:
    opened: object
    behaviours: object = ()
    primary_behaviour: object = None
    closed: object = None
    channel: object = None
    contact_role: object = None
    relation: object = None
    help: object = ()
    referrals: object = ()
    outcome: object = None
    follow_up: object = None
    notes: object = ""


@dataclass(frozen=True)
class CaseData:
    """A validated case, ready to store."""

    opened: date
    closed: date | None
    behaviours: tuple[str, ...]
    primary_behaviour: str
    channel: str | None
    contact_role: str | None
    relation: str | None
    help: tuple[str, ...]
    referrals: tuple[str, ...]
    outcome: str | None
    follow_up: date | None
    notes: str

    @property
    def status(self) -> str:
        return "closed" if self.closed else "open"


def validate_case(data: CaseInput) -> CaseData:
    e = _Errors()
    opened = e.date("opened", data.opened, required=True)
    closed = e.date("closed", data.closed)
    if opened and closed and closed < opened:
        e.add("closed", "closed_before_opened")
    behaviours = e.codes("behaviours", "behaviour", data.behaviours)
    primary = e.code("primary_behaviour", "behaviour", data.primary_behaviour)
    if not behaviours and primary:
        behaviours = [primary]
    if not behaviours:
        e.add("behaviours", "need_behaviour")
    if primary is None and behaviours:
        primary = behaviours[0]
    elif primary and primary not in behaviours:
        e.add("primary_behaviour", "primary_not_in_behaviours")
    channel = e.code("channel", "channel", data.channel)
    role = e.code("contact_role", "contact_role", data.contact_role)
    relation = e.code("relation", "relation", data.relation)
    help_ = e.codes("help", "help", data.help)
    referrals = e.codes("referrals", "referrals", data.referrals)
    outcome = e.code("outcome", "outcome", data.outcome)
    if closed and not outcome and "outcome" not in e.errors:
        e.add("outcome", "outcome_needed")
    follow_up = e.date("follow_up", data.follow_up, allow_future=True)
    if follow_up and opened and follow_up < opened:
        e.add("follow_up", "follow_up_before_opened")
    notes = e.text("notes", data.notes, MAX_NOTES)
    e.raise_if_any()
    assert opened is not None and primary is not None
    # Primary first: the order of behaviours carries which one is primary.
    ordered = [primary] + [b for b in behaviours if b != primary]
    return CaseData(
        opened,
        closed,
        tuple(ordered),
        primary,
        channel,
        role,
        relation,
        tuple(help_),
        tuple(referrals),
        outcome,
        follow_up,
        notes,
    )


@dataclass(frozen=True)
class Consultation:
    id: int
    case_id: int
    date: date
    minutes: int
    channel: str | None
    notes: str


@dataclass
class ConsultationInput:
    date: object
    minutes: object = 0
    channel: object = None
    notes: object = ""


def validate_consultation(data: ConsultationInput) -> dict[str, Any]:
    e = _Errors()
    when = e.date("date", data.date, required=True)
    minutes = e.integer("minutes", data.minutes, 0, MAX_MINUTES, default=0, code="minutes_range")
    channel = e.code("channel", "channel", data.channel)
    notes = e.text("notes", data.notes, MAX_CONSULTATION_NOTES)
    e.raise_if_any()
    return {"date": when, "minutes": minutes, "channel": channel, "notes": notes}


@dataclass(frozen=True)
class Case:
    id: int
    code: str
    opened: date
    closed: date | None
    status: str
    behaviours: tuple[str, ...]
    primary_behaviour: str | None
    channel: str | None
    contact_role: str | None
    relation: str | None
    help: tuple[str, ...]
    referrals: tuple[str, ...]
    outcome: str | None
    follow_up: date | None
    notes: str
    legal_hold: bool = False
    hold_reason: str = ""
    destroyed: date | None = None
    consultations: tuple[Consultation, ...] = field(default_factory=tuple)

    @property
    def minutes(self) -> int:
        return sum(c.minutes for c in self.consultations)

    def to_input(self) -> CaseInput:
        return CaseInput(
            opened=self.opened,
            behaviours=list(self.behaviours),
            primary_behaviour=self.primary_behaviour,
            closed=self.closed,
            channel=self.channel,
            contact_role=self.contact_role,
            relation=self.relation,
            help=list(self.help),
            referrals=list(self.referrals),
            outcome=self.outcome,
            follow_up=self.follow_up,
            notes=self.notes,
        )


@dataclass(frozen=True)
class CaseSummary:
    """One row of the case list: never notes."""

    id: int
    code: str
    opened: date
    closed: date | None
    status: str
    primary_behaviour: str | None
    follow_up: date | None
    legal_hold: bool = False
    destroyed: bool = False


# -- activities -------------------------------------------------------------------


@dataclass
class ActivityInput:
    date: object
    kind: object
    minutes: object = 0
    notes: object = ""


@dataclass(frozen=True)
class Activity:
    id: int
    date: date
    kind: str
    minutes: int
    notes: str


def validate_activity(data: ActivityInput) -> dict[str, Any]:
    e = _Errors()
    when = e.date("date", data.date, required=True)
    kind = e.code("kind", "activity", data.kind, required=True)
    minutes = e.integer("minutes", data.minutes, 0, MAX_MINUTES, default=0, code="minutes_range")
    notes = e.text("notes", data.notes, MAX_NOTES)
    e.raise_if_any()
    return {"date": when, "kind": kind, "minutes": minutes, "notes": notes}


def case_code(year: int, seq: int) -> str:
    return f"{year}-{seq:03d}"
