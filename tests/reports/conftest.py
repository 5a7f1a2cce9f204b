"""A small synthetic organisation for report tests (no real data anywhere)."""

from __future__ import annotations

from datetime import date

import pytest

from vp_desk.domain.models import ActivityInput, CaseData, OrganisationInput

YEAR = 2025


def case_data(
    opened: date,
    behaviour: str,
    *,
    closed: date | None = None,
    channel: str = "in_person",
    relation: str = "colleague",
    help=("initial_support", "advice"),
    referrals=(),
) -> CaseData:
    return CaseData(
        opened=opened,
        closed=closed,
        behaviours=(behaviour,),
        primary_behaviour=behaviour,
        channel=channel,
        contact_role="affected",
        relation=relation,
        help=tuple(help),
        referrals=tuple(referrals),
        outcome="resolved_self" if closed else None,
        follow_up=None,
        notes="Fictieve notitie.",
    )


def twelve_cases() -> list[tuple[CaseData, list[dict]]]:
    """12 cases in 2025: 7 bullying, 4 work conflict, 1 sexual harassment."""
    items = []
    kinds = ["bullying"] * 7 + ["work_conflict"] * 4 + ["sexual_harassment"]
    for i, kind in enumerate(kinds):
        opened = date(YEAR, 1 + i, 10)
        closed = date(YEAR, 1 + i, 28) if i < 8 else None
        items.append(
            (
                case_data(
                    opened,
                    kind,
                    closed=closed,
                    channel="phone" if i % 2 else "in_person",
                    relation="manager" if i < 6 else "colleague",
                    referrals=("hr",) if i in (3, 5) else (),
                ),
                [{"date": opened, "minutes": 45}, {"date": date(YEAR, 1 + i, 20), "minutes": 30}],
            )
        )
    return items


def add_org(desk, name: str = "Acme BV", employees: int = 40, threshold: int = 5, lang: str = "nl"):
    org = desk.add_organisation(OrganisationInput(name, employees, threshold, 12, lang))
    desk.insert_cases(org.id, twelve_cases(), event="test")
    desk.insert_activities(
        org.id,
        [
            ActivityInput(date(YEAR, 3, 5), "awareness", 120, "Fictieve training."),
            ActivityInput(date(YEAR, 6, 5), "awareness", 90, ""),
            ActivityInput(date(YEAR, 9, 5), "management_advice", 60, ""),
        ],
        event="test",
    )
    return org


@pytest.fixture
def acme(desk):
    return add_org(desk)


@pytest.fixture
def desk_reopen():
    """Open the data folder again for a moment (the CLI needs it closed)."""
    from contextlib import contextmanager

    from tests.conftest import PASSPHRASE
    from vp_desk.services.desk import Desk

    @contextmanager
    def reopen(path):
        d = Desk.open(path, PASSPHRASE)
        try:
            yield d
        finally:
            d.close()

    return reopen
