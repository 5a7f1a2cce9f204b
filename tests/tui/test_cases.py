"""The case screens driven with real keys; every assertion is on what the Desk stored."""

from __future__ import annotations

import json
from datetime import date

import pytest
from textual import events
from textual.widgets import Input, Label, TextArea

from tests.tui.cases_support import (
    HOSTILE,
    HOSTILE_NOTE,
    TODAY,
    add_case,
    add_contact,
    choose,
    many_cases,
    open_screen,
    run_screen,
    sample_cases,
    screen_output,
    screen_text,
    settle,
    tick,
)
from vp_desk.domain.models import OrganisationInput
from vp_desk.services.desk import CaseFilter
from vp_desk.tui import drafts
from vp_desk.tui.screens.case_form import SUBJECT_SETTING, CaseFormScreen
from vp_desk.tui.screens.case_view import CaseViewScreen
from vp_desk.tui.screens.cases import CaseListScreen
from vp_desk.tui.widgets.case_table import CaseTable

pytestmark = pytest.mark.asyncio


def case_list(desk, org, lang="nl"):
    return run_screen(desk, org.id, lambda: CaseListScreen(org.id, today=TODAY), lang)


def codes_shown(app) -> list[str]:
    table = app.screen.query_one(CaseTable)
    return [table.row(i).code for i in range(table.total)]


async def type_into(pilot, selector: str, text: str, *, clear: bool = True) -> None:
    widget = pilot.app.screen.query_one(selector)
    widget.focus()
    await pilot.pause()
    if clear and isinstance(widget, Input):
        await pilot.press("end", "ctrl+u")
    elif isinstance(widget, TextArea):
        await pilot.press("end")
    await pilot.press(*text) if text else None
    await pilot.pause()


async def test_log_a_case_with_two_contact_moments(desk, org):
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert isinstance(app.screen, CaseFormScreen)
        await type_into(pilot, "#opened", "2026-03-02")
        await choose(pilot, "#channel", "phone")
        await choose(pilot, "#contact_role", "affected")
        await choose(pilot, "#relation", "manager")
        await tick(pilot, "#behaviours", "intimidation", "bullying")
        await choose(pilot, "#primary_behaviour", "bullying")
        await tick(pilot, "#help", "initial_support", "advice")
        await tick(pilot, "#referrals", "occupational_physician")
        await type_into(pilot, "#follow_up", "2026-04-01")
        await type_into(pilot, "#notes", "Melding.")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
        for day, minutes, note in (
            ("2026-03-02", "45", "Opvang."),
            ("2026-03-09", "30", "Opties."),
        ):
            await pilot.press("n")
            await settle(pilot)
            await type_into(pilot, "#date", day)
            await type_into(pilot, "#minutes", minutes)
            await choose(pilot, "#channel", "video")
            await type_into(pilot, "#notes", note)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, CaseViewScreen)
        assert "Contactmomenten (2, 75 min)" in screen_text(app)

    [summary] = desk.list_cases(org.id)
    case = desk.get_case(org.id, summary.id)
    assert case.code == "2026-001" and case.opened == date(2026, 3, 2)
    assert case.channel == "phone" and case.contact_role == "affected"
    assert case.relation == "manager"
    assert case.behaviours == ("bullying", "intimidation") and case.primary_behaviour == "bullying"
    assert set(case.help) == {"initial_support", "advice"}
    assert case.referrals == ("occupational_physician",)
    assert case.follow_up == date(2026, 4, 1) and case.status == "open"
    assert case.notes == "Melding."
    assert [(c.date, c.minutes, c.channel, c.notes) for c in case.consultations] == [
        (date(2026, 3, 2), 45, "video", "Opvang."),
        (date(2026, 3, 9), 30, "video", "Opties."),
    ]


async def test_validation_messages_next_to_fields_and_nothing_stored(desk, org):
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#opened", "31-02-2026")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseFormScreen)
        opened_error = app.screen.query_one("#err-opened", Label)
        assert str(opened_error.content) == "Geen geldige datum (JJJJ-MM-DD of D-M-JJJJ)."
        assert "-invalid" in app.screen.query_one("#field-opened").classes
        assert (
            str(app.screen.query_one("#err-behaviours", Label).content)
            == "Kies ten minste één soort gedrag."
        )
        # The message sits right under its own field, not somewhere else.
        assert opened_error.parent is app.screen.query_one("#field-opened")
        assert app.screen.focused is app.screen.query_one("#opened")
        # A closed case without an outcome: the message moves to the outcome field.
        await type_into(pilot, "#opened", "2026-03-01")
        await tick(pilot, "#behaviours", "other")
        await type_into(pilot, "#closed", "2026-03-05")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            str(app.screen.query_one("#err-outcome", Label).content)
            == "Kies een vervolg bij het sluiten."
        )
        assert "-invalid" not in app.screen.query_one("#field-opened").classes
    assert desk.count_cases(org.id) == 0


async def test_search_by_code_and_by_a_word_in_the_notes(desk, org):
    sample_cases(desk, org.id)
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        assert len(codes_shown(app)) == 6
        await pilot.press("slash", *"2025-002")
        await settle(pilot)
        assert codes_shown(app) == ["2025-002"]
        await type_into(pilot, "#case-search", "roosterconflict")  # case notes
        await settle(pilot)
        assert codes_shown(app) == ["2025-003"]
        await type_into(pilot, "#case-search", "emotie")  # contact-moment notes
        await settle(pilot)
        assert codes_shown(app) == ["2026-001"]
        assert "1 casus" in screen_text(app)
        await type_into(pilot, "#case-search", "bestaat-niet")
        await settle(pilot)
        assert codes_shown(app) == []
        assert "Geen casussen gevonden." in screen_text(app)
        # Enter on a found case opens it.
        await type_into(pilot, "#case-search", "2026-002")
        await settle(pilot)
        await pilot.press("escape", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
        assert app.screen.case.code == "2026-002"


async def test_filter_by_status_year_and_behaviour(desk, org):
    sample_cases(desk, org.id)
    async with case_list(desk, org, lang="en") as pilot:
        app = pilot.app
        await settle(pilot)
        await choose(pilot, "#filter-status", "closed")
        await settle(pilot)
        assert codes_shown(app) == ["2025-002", "2025-001"]
        await choose(pilot, "#filter-status", "open")
        await choose(pilot, "#filter-year", 2026)
        await settle(pilot)
        assert codes_shown(app) == ["2026-003", "2026-002", "2026-001"]
        await choose(pilot, "#filter-behaviour", "bullying")  # a secondary behaviour counts
        await settle(pilot)
        assert codes_shown(app) == ["2026-001"]
        assert "1 case" in screen_text(app)
    flt = CaseFilter(status="open", year=2026, behaviour="bullying")
    assert [c.code for c in desk.list_cases(org.id, flt)] == ["2026-001"]


async def test_close_with_an_outcome_and_reopen(desk, org):
    case = add_case(desk, org.id, date(2026, 2, 2), ("work_conflict",), follow_up=date(2026, 3, 30))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        await pilot.press("ctrl+s")  # no outcome yet: refused, message by the field
        await settle(pilot)
        assert (
            str(app.screen.query_one("#err-outcome", Label).content)
            == "Kies een vervolg bij het sluiten."
        )
        assert app.desk.get_case(org.id, case.id).status == "open"
        await choose(pilot, "#outcome", "talk_with_manager")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CaseViewScreen)
        closed = app.desk.get_case(org.id, case.id)
        assert (closed.status, closed.closed, closed.outcome) == (
            "closed",
            TODAY,
            "talk_with_manager",
        )
        assert "Casus gesloten" in screen_text(app)
        await pilot.press("h")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        reopened = app.desk.get_case(org.id, case.id)
        assert (reopened.status, reopened.closed) == ("open", None)
        assert "Casus 2026-001  Open" in screen_text(app)


async def test_edit_and_delete_a_contact_moment(desk, org):
    case = add_case(desk, org.id, date(2026, 2, 2))
    add_contact(desk, org.id, case.id, date(2026, 2, 2), 40, "eerste")
    add_contact(desk, org.id, case.id, date(2026, 2, 9), 20, "tweede")
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("down", "enter")  # the second contact moment
        await settle(pilot)
        await type_into(pilot, "#minutes", "1441")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (
            str(app.screen.query_one("#err-minutes", Label).content)
            == "Minuten moeten tussen 0 en 1440 liggen."
        )
        await type_into(pilot, "#minutes", "25")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert [c.minutes for c in app.desk.get_case(org.id, case.id).consultations] == [40, 25]
        await pilot.press("up", "d")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
    assert [c.notes for c in desk.get_case(org.id, case.id).consultations] == ["tweede"]


async def test_unsaved_changes_warning(desk, org):
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: leaves at once
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
        await pilot.press("n")
        await settle(pilot)
        await type_into(pilot, "#notes", "half af")
        await pilot.press("escape")
        await settle(pilot)
        assert "niet-opgeslagen wijzigingen" in screen_text(app)
        await pilot.press("n")  # keep editing
        await settle(pilot)
        assert isinstance(app.screen, CaseFormScreen)
        assert app.screen.query_one("#notes", TextArea).text == "half af"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")  # discard
        await settle(pilot)
        assert isinstance(app.screen, CaseListScreen)
    assert desk.count_cases(org.id) == 0


async def test_repeat_subject_count_and_the_name_is_never_kept(desk, org):
    desk.set_setting(SUBJECT_SETTING, "on")
    earlier = add_case(desk, org.id, date(2025, 5, 1))
    desk.set_subject(org.id, earlier.id, "Jan de  Vries")
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await tick(pilot, "#behaviours", "intimidation")
        await type_into(pilot, "#subject", "jan de vries")
        name_field = app.screen.query_one("#subject", Input)
        payload = app.screen.draft_payload()
        assert payload is not None and "vries" not in json.dumps(payload).lower()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert name_field.value == ""
        assert isinstance(app.screen, CaseViewScreen)
        assert "Let op: 1 andere casus gaat over dezelfde persoon." in screen_text(app)
        new_id = app.screen.case_id
    assert desk.repeat_subject_count(org.id, new_id) == 1
    assert desk.repeat_subject_count(org.id, earlier.id) == 1


async def test_unsaved_form_survives_a_lock_as_a_draft(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5), notes="oud")
    async with run_screen(
        desk, org.id, lambda: CaseFormScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await settle(pilot)
        assert app.screen.draft_payload() is None  # nothing changed yet
        await type_into(pilot, "#notes", " en nieuw", clear=False)
        await tick(pilot, "#help", "aftercare")
        assert drafts.save_all(app.desk, app.screen_stack) == 1
        [(draft_id, payload)] = app.desk.drafts().items()
        assert payload["kind"] == "case_form" and payload["case_id"] == case.id
        app.pop_screen()
        await pilot.pause()
        assert drafts.restore(app, draft_id, payload)
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen)
        assert form.query_one("#notes", TextArea).text.endswith(" en nieuw")
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = desk.get_case(org.id, case.id)
    assert saved.help == ("aftercare",) and saved.notes.endswith(" en nieuw")
    assert desk.drafts() == {}


async def test_hostile_text_is_shown_literally(desk):
    org = desk.add_organisation(OrganisationInput("Org [b]x[/b] \x1b[2J"))
    case = add_case(desk, org.id, date(2026, 2, 2), notes=HOSTILE_NOTE)
    # Stored as an older vault or an import might have kept it: raw, uncleaned.
    conn = desk.conn(org.id)
    conn.execute("UPDATE cases SET notes = ? WHERE id = ?", (HOSTILE_NOTE, case.id))
    add_contact(desk, org.id, case.id, date(2026, 2, 3), 10, "contact " + HOSTILE_NOTE)
    conn.execute("UPDATE consultations SET notes = ?", ("contact " + HOSTILE_NOTE,))

    for make in (
        lambda: CaseListScreen(org.id, today=TODAY),
        lambda: CaseViewScreen(org.id, case.id, today=TODAY),
        lambda: CaseFormScreen(org.id, case.id, today=TODAY),
    ):
        async with run_screen(desk, org.id, make) as pilot:
            app = pilot.app
            await settle(pilot)
            if isinstance(app.screen, CaseListScreen):
                await pilot.press("slash", *"[link")  # hostile text in the search box too
                await settle(pilot)
            text = screen_text(app)
            output = screen_output(app)
            assert app.is_running
        if not isinstance(make(), CaseListScreen):
            assert "[link=https://x]y[/link]" in text
            assert "[@click=app.quit]x[/]" in text
        else:
            assert "Org [b]x[/b]" in text
        for bad in ("\x1b]", "\x1b[2J", "\x9b", "\u202e", "\x07"):
            assert bad not in output, repr(bad)
    for bad in HOSTILE[3:]:
        assert bad not in text


async def test_ten_thousand_cases_open_and_filter(desk, org):
    many_cases(desk, org.id, 10_000)
    async with case_list(desk, org) as pilot:
        app = pilot.app
        await settle(pilot)
        table = app.screen.query_one(CaseTable)
        assert table.total == 10_000
        assert "10.000 casussen" in screen_text(app)
        await pilot.press("end")
        await pilot.pause()
        last = app.desk.list_cases(org.id, limit=1, offset=9_999)[0]
        assert table.current.code == last.code
        assert last.code in screen_text(app)
        await pilot.press("slash", *"2025-01")
        await settle(pilot)
        expected = app.desk.count_cases(org.id, CaseFilter(search="2025-01"))
        assert 0 < table.total == expected < 10_000
        await choose(pilot, "#filter-status", "open")
        await settle(pilot)
        assert table.total == app.desk.count_cases(
            org.id, CaseFilter(status="open", search="2025-01")
        )


async def test_ctrl_l_keeps_the_unsaved_case_form_and_unlock_offers_it_back(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5), notes="oud")
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        app = pilot.app
        await pilot.press("e")
        await settle(pilot)
        await type_into(pilot, "#notes", " plus", clear=False)
        await pilot.press("ctrl+l")
        while not app.is_locked:
            await pilot.pause(0.02)
        assert not any(isinstance(s, CaseFormScreen) for s in app.screen_stack)
        await open_screen(
            pilot, org.id, lambda: CaseListScreen(org.id, today=TODAY), keep_offers=True
        )
        offer = screen_text(app)
        assert "2026-001" in offer and "oud" not in offer  # names the case, shows no notes
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CaseFormScreen) and form.case_id == case.id
        assert form.query_one("#notes", TextArea).text == "oud plus"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.desk.get_case(org.id, case.id).notes == "oud plus"
        assert app.desk.drafts() == {}


async def test_copy_the_case_code(desk, org):
    case = add_case(desk, org.id, date(2026, 1, 5))
    async with run_screen(
        desk, org.id, lambda: CaseViewScreen(org.id, case.id, today=TODAY)
    ) as pilot:
        await pilot.press("y")
        await settle(pilot)
        assert pilot.app.clipboard == "2026-001"


async def test_pasted_control_characters_never_reach_the_terminal(desk, org):
    async with case_list(desk, org) as pilot:
        app = pilot.app
        search = app.screen.query_one("#case-search", Input)
        search.focus()
        search.post_message(events.Paste("x\x1b[2Jy\u202e"))
        await settle(pilot)
        assert search.value == "x[2Jy"
        await pilot.press("escape", "n")
        await settle(pilot)
        notes = app.screen.query_one("#notes", TextArea)
        notes.focus()
        notes.post_message(events.Paste(HOSTILE_NOTE))
        await settle(pilot)
        assert "[link=https://x]y[/link]" in notes.text and "\x1b" not in notes.text
        output = screen_output(app)
        for bad in ("\x1b]", "\x1b[2J", "\x9b", "\u202e", "\x07"):
            assert bad not in output, repr(bad)
        await pilot.press("ctrl+s")  # no behaviour: refused, nothing stored
        await settle(pilot)
        assert app.desk.count_cases(org.id) == 0
