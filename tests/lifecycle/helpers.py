"""Shared test helpers for the lifecycle tests (synthetic data only)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from vp_desk.domain.models import ActivityInput, CaseInput, ConsultationInput, OrganisationInput
from vp_desk.services.desk import Desk
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT


def add_org(desk: Desk, name: str, **kw):
    return desk.add_organisation(OrganisationInput(name, employees=kw.pop("employees", 80), **kw))


def add_case(
    desk: Desk,
    org_id: int,
    opened: str,
    *,
    closed: str | None = None,
    notes: str = "",
    contacts: tuple[tuple[str, int, str], ...] = (),
    behaviours=("bullying",),
    help=("advice",),
    referrals=(),
    relation="colleague",
):
    case = desk.create_case(
        org_id,
        CaseInput(
            opened=opened,
            closed=closed,
            outcome="resolved_self" if closed else None,
            behaviours=list(behaviours),
            help=list(help),
            referrals=list(referrals),
            relation=relation,
            contact_role="affected",
            channel="phone",
            notes=notes,
        ),
    )
    for day, minutes, text in contacts:
        desk.add_consultation(org_id, case.id, ConsultationInput(day, minutes, "in_person", text))
    return desk.get_case(org_id, case.id)


def add_activity(desk: Desk, org_id: int, day: str, minutes: int, notes: str = ""):
    return desk.add_activity(org_id, ActivityInput(day, "awareness", minutes, notes))


def content_hash(desk: Desk) -> str:
    """A digest of everything the Desk API shows: organisations with their
    settings, every case with its contact moments, activities, and the audit
    trail of the index and of every organisation."""
    data: dict = {
        "orgs": [],
        "audit_index": [list(r.__dict__.values()) for r in audit.rows(desk.index)],
    }
    for org in desk.organisations():
        cases = []
        for summary in reversed(desk.list_cases(org.id)):
            case = desk.get_case(org.id, summary.id)
            cases.append(repr(case))
        data["orgs"].append(
            {
                "org": repr(org),
                "cases": cases,
                "activities": [repr(a) for a in desk.list_activities(org.id)],
                "audit": [list(r.__dict__.values()) for r in audit.rows(desk.conn(org.id))],
            }
        )
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def coded_aggregates(desk: Desk, org_id: int, year: int) -> dict:
    """What an annual report is computed from: coded fields only."""
    conn = desk.conn(org_id)
    out: dict = {}
    for column in ("primary_behaviour", "relation", "contact_role", "outcome", "channel", "status"):
        out[column] = conn.execute(
            f"SELECT {column}, count(*) FROM cases WHERE year = ? GROUP BY 1 ORDER BY 1", (year,)
        ).fetchall()
    out["values"] = conn.execute(
        "SELECT v.dimension, v.code, count(*) FROM case_values v JOIN cases c ON c.id = v.case_id "
        "WHERE c.year = ? GROUP BY 1, 2 ORDER BY 1, 2",
        (year,),
    ).fetchall()
    out["consultations"] = conn.execute(
        "SELECT count(*), sum(minutes) FROM consultations WHERE substr(date, 1, 4) = ?",
        (str(year),),
    ).fetchall()
    out["dates"] = conn.execute("SELECT code, opened, closed FROM cases ORDER BY code").fetchall()
    return out


def audit_events(conn) -> list[tuple[str, str]]:
    return [(r.event, r.subject) for r in reversed(audit.rows(conn))]


def index_key(desk: Desk) -> bytes:
    return desk.vault.ring.keys[INDEX_VAULT]


TODAY = date(2026, 6, 1)
