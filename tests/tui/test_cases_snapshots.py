"""Snapshots of the case and activity screens at 120x36 in the real app: synthetic data,
fixed dates, steady cursors. Dutch for every screen; the list and the form in English too."""

from __future__ import annotations

from datetime import date

import pytest

from tests.tui.cases_support import (
    SIZE,
    TODAY,
    add_activity,
    add_contact,
    no_blink,
    open_screen,
    sample_cases,
)
from vp_desk.tui.app import VpDeskApp
from vp_desk.tui.dialogs.case_dialogs import CloseCaseScreen
from vp_desk.tui.screens.activities import ActivityFormScreen, ActivityScreen
from vp_desk.tui.screens.case_form import SUBJECT_SETTING, CaseFormScreen
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.screens.cases import CaseListScreen
from vp_desk.tui.screens.consultation_form import ConsultationFormScreen


@pytest.fixture
def sample(desk, org):
    """The data folder with six cases, contact moments, a repeat subject and activities."""
    desk.set_setting(SUBJECT_SETTING, "on")
    cases = sample_cases(desk, org.id)
    desk.set_subject(org.id, cases[3].id, "Fictieve Persoon A")
    desk.set_subject(org.id, cases[0].id, "fictieve persoon a")
    add_contact(
        desk, org.id, cases[3].id, date(2026, 3, 9), 20, "Afspraak gemaakt.", channel="in_person"
    )
    add_activity(desk, org.id, date(2026, 1, 20), "awareness", 120, "Workshop teamleiders")
    add_activity(desk, org.id, date(2026, 2, 11), "management_advice", 45, "Advies over beleid")
    add_activity(desk, org.id, date(2026, 3, 4), "visibility", 30, "Kennismaking OR")
    add_activity(desk, org.id, date(2025, 11, 5), "signalling", 60, "Vorig jaar")
    path = desk.vault.folder.path
    desk.close()
    return path, org.id, {c.code: c.id for c in cases}


def shot(snap_compare, sample, lang: str, make, size: tuple[int, int] = SIZE) -> bool:
    path, org_id, ids = sample

    async def run_before(pilot) -> None:
        screens = make(org_id, ids)
        screens = screens if isinstance(screens, tuple) else (screens,)
        await open_screen(pilot, org_id, lambda: screens[0])
        for modal in screens[1:]:  # dialogs over our own screen, not the dashboard
            pilot.app.push_screen(modal)
        await no_blink(pilot)

    return snap_compare(
        VpDeskApp(path, lang, today=TODAY), terminal_size=size, run_before=run_before
    )


def case_list(org_id, ids):
    return CaseListScreen(org_id, today=TODAY)


def case_form(org_id, ids):
    return CaseFormScreen(org_id, ids["2026-001"], today=TODAY)


def test_case_list_nl(snap_compare, sample):
    assert shot(snap_compare, sample, "nl", case_list)


def test_case_list_en(snap_compare, sample):
    assert shot(snap_compare, sample, "en", case_list)


def test_case_form_nl(snap_compare, sample):
    assert shot(snap_compare, sample, "nl", case_form)


def test_case_form_en(snap_compare, sample):
    assert shot(snap_compare, sample, "en", case_form)


def test_new_case_form_nl(snap_compare, sample):
    assert shot(snap_compare, sample, "nl", lambda org_id, ids: CaseFormScreen(org_id, today=TODAY))


def test_case_view_nl(snap_compare, sample):
    assert shot(snap_compare, sample, "nl", case_view)


def test_case_list_80x24_nl(snap_compare, sample):
    """Issue 13: dates whole, the search box usable, the flags column on screen."""
    assert shot(snap_compare, sample, "nl", case_list, size=(80, 24))


def test_case_view_80x24_nl(snap_compare, sample):
    """Issue 13: the columns stack; the timeline with whole notes scrolls below."""
    assert shot(snap_compare, sample, "nl", case_view, size=(80, 24))


def case_view(org_id, ids):
    return CaseViewScreen(org_id, ids["2026-001"], today=TODAY)


def test_consultation_form_nl(snap_compare, sample):
    assert shot(
        snap_compare,
        sample,
        "nl",
        lambda org_id, ids: (
            case_view(org_id, ids),
            ConsultationFormScreen(org_id, ids["2026-001"], today=TODAY),
        ),
    )


def test_close_case_dialog_nl(snap_compare, sample):
    assert shot(
        snap_compare,
        sample,
        "nl",
        lambda org_id, ids: (
            case_view(org_id, ids),
            CloseCaseScreen(org_id, ids["2026-001"], "2026-001", "nl", TODAY),
        ),
    )


def test_activities_nl(snap_compare, sample):
    assert shot(snap_compare, sample, "nl", lambda org_id, ids: ActivityScreen(org_id, today=TODAY))


def test_activity_form_nl(snap_compare, sample):
    assert shot(
        snap_compare,
        sample,
        "nl",
        lambda org_id, ids: (
            ActivityScreen(org_id, today=TODAY),
            ActivityFormScreen(org_id, today=TODAY),
        ),
    )
