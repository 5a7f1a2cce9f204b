"""Attacks by a second tester (h8-qa-reports): each failed on main before its fix."""

from __future__ import annotations

import json
from datetime import date

import pytest

from tests.reports.conftest import YEAR
from vp_desk.domain.models import ConsultationInput
from vp_desk.services import reporting

TODAY = date(2026, 2, 1)


def _late_contact(desk, org_id: int, day: date, minutes: int = 30) -> None:
    case_id = desk.conn(org_id).execute("SELECT min(id) FROM cases").fetchone()[0]
    desk.add_consultation(org_id, case_id, ConsultationInput(day, minutes))


def test_invoices_written_after_a_report_cannot_show_a_late_contact(desk, acme):
    """Report first, then the year's invoices: their sum would differ from the
    report's hours on cases by the late contact moment."""
    reporting.set_disclose_case_hours(desk, acme.id, True)
    reporting.set_invoice_split(desk, acme.id, True)
    final = reporting.export(desk, acme.id, YEAR, "json", final=True, today=TODAY)
    published = json.loads(final.data)["hours"]["cases"]
    _late_contact(desk, acme.id, date(YEAR, 11, 30))
    first = reporting.invoice(desk, acme.id, date(YEAR, 1, 1), date(YEAR, 6, 30))
    assert reporting.record_invoice(desk, acme.id, first) == "recorded"  # half a year: fine
    rest = reporting.invoice(desk, acme.id, date(YEAR, 7, 1), date(YEAR, 12, 31))
    assert rest.hours()["cases"] + first.hours()["cases"] != published
    with pytest.raises(reporting.InvoiceConflict):
        reporting.record_invoice(desk, acme.id, rest)
    # without the late contact, the same two specifications are fine
    late = (
        desk.conn(acme.id)
        .execute("SELECT id FROM consultations WHERE date = ?", (f"{YEAR}-11-30",))
        .fetchone()[0]
    )
    desk.delete_consultation(acme.id, late)
    rest = reporting.invoice(desk, acme.id, date(YEAR, 7, 1), date(YEAR, 12, 31))
    assert reporting.record_invoice(desk, acme.id, rest) == "recorded"


def _outcome_reader_bounds(figures: dict) -> dict[str, tuple[int, int]] | None:
    """What a reader learns about the outcome table's combined members, also using
    that every case without an outcome (``none``) is still open, so counted in
    "open at the end of the year"."""
    k = figures["threshold"]
    table = next(t for t in figures["tables"] if t["id"] == "outcome")
    merged = [r for r in table["rows"] if r.get("members")]
    if not merged or len(merged[0]["members"]) != 2 or "none" not in merged[0]["members"]:
        return None
    total = merged[0]["count"]
    open_value = figures["open_at_year_end"]
    if open_value is not None:
        none_max = open_value
    elif "open_at_year_end" in figures["suppressed_figures"]:
        none_max = k - 1
    else:
        none_max = total
    low_none = 1 if merged[0].get("members_nonzero") else 0
    none_max = min(none_max, total - low_none)
    other = next(c for c in merged[0]["members"] if c != "none")
    return {"none": (low_none, none_max), other: (total - none_max, total - low_none)}


def test_open_at_year_end_does_not_bound_the_outcome_none_row(desk):
    """10 cases, 7 resolved and 3 still open, k = 5: the outcome table is combined
    ({resolved, none} = 10). Published beside it, "open at the end of the year:
    fewer than 5" says none <= 4, so resolved >= 6 = all but fewer than k
    (group disclosure)."""
    from tests.reports.conftest import case_data
    from vp_desk.domain.models import OrganisationInput

    org = desk.add_organisation(OrganisationInput("Tien BV", 60, 5, 12, "nl"))
    items = []
    for i in range(10):
        opened = date(YEAR, 1 + i, 3)
        closed = date(YEAR, 1 + i, 20) if i < 7 else None
        items.append((case_data(opened, "bullying", closed=closed), []))
    desk.insert_cases(org.id, items, event="test")
    figures = reporting.build(desk, org.id, YEAR).figures
    bounds = _outcome_reader_bounds(figures)
    assert bounds is not None  # the table is combined, as in the example
    k, total = figures["threshold"], figures["new_cases"]
    assert bounds["resolved_self"][0] <= total - k, (bounds, figures["open_at_year_end"])


# -- free text: what still slipped through -------------------------------------------------


@pytest.mark.parametrize(
    "text,kind",
    [
        ("Bel 06\u034f12345678 voor een afspraak.", "phone"),  # combining grapheme joiner
        ("Bel 0\ufe0f6\ufe0f12345678.", "phone"),  # variation selectors
        ("Mail jan\u034f@example.nl.", "email"),
        ("Mail jan @ example.nl of jan(at)example.nl.", "email"),
        ("Gesprek met dhr.Jansen gehad.", "person"),
        ("Gesprek met Dhr Jansen gehad.", "person"),
        ("Gesprek met mevr De Vries gehad.", "person"),
        ("Bezoekadres 1012AB12.", "address"),
        ("Er was 1 melder over discriminatie.", "small_count"),
        ("Eén melder kwam met seksuele intimidatie.", "small_count"),
        ("Twee werknemers meldden zich over pesten.", "small_count"),
        ("2 personen hebben zich gemeld.", "small_count"),
        ("Two people reported harassment.", "small_count"),
        ("Dit jaar 2x seksuele intimidatie.", "small_count"),
        ("Dit jaar tweemaal seksuele intimidatie.", "small_count"),
        ("In 2 van de gevallen ging het om agressie.", "small_count"),
        ("In two of the cases it was about bullying.", "small_count"),
    ],
)
def test_more_free_text_forms_are_caught(text, kind):
    from vp_desk.reports.pii import scan
    from vp_desk.textsafe import clean_text

    found = scan(clean_text(text))  # as stored by save_texts
    assert kind in [f.kind for f in found], found


@pytest.mark.parametrize(
    "sentence",
    [
        "Medewerkers kunnen tweemaal per jaar een training volgen over pesten.",
        "Twee keer per jaar is er overleg over agressie.",
        "In 2 van de teams werd een training gegeven.",
        "Drie medewerkers kwamen naar de training.",
        "Een melder kan anoniem blijven; de melder wordt altijd gehoord.",
        "De directeur en de manager hebben het beleid besproken.",
        "Het team heeft 3 keer een sessie gehad over pesten.",
        "Er zijn 3x per jaar spreekuren.",
        "The manager. Then we talked about the code of conduct.",
        "Training was given twice: once on bullying and once on discrimination.",
        "De caf\u0065\u0301 van de kantine is een ontmoetingsplek.",  # a decomposed accent
    ],
)
def test_ordinary_sentences_still_pass(sentence):
    from vp_desk.reports.pii import scan

    assert scan(sentence) == []


def test_positions_point_into_the_text_as_given():
    from vp_desk.reports.pii import scan

    text = "Zie\u034f\u034f: bel 06\u034f12345678."
    (finding,) = scan(text)
    assert text[finding.start : finding.end].replace("\u034f", "") == "06 12345678".replace(" ", "")


# -- bad input on the command line ------------------------------------------------------------


@pytest.fixture
def folder(desk, data_dir):
    from tests.reports.conftest import add_org

    add_org(desk)
    reporting.set_disclose_case_hours(desk, desk.find_organisation("Acme BV").id, True)
    desk.close()
    return data_dir


@pytest.mark.parametrize(
    "start,end",
    [("9999-12-01", "9999-12-31"), ("0001-01-01", "0001-01-31"), ("1999-12-01", "2000-01-31")],
)
def test_an_invoice_far_outside_the_calendar_is_one_sentence(folder, start, end):
    from tests.conftest import run_cli

    result = run_cli("hours", "Acme BV", "--from", start, "--to", end, "--invoice", data_dir=folder)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "2000" in result.stderr


@pytest.mark.parametrize("command", ["report", "invoice"])
def test_out_in_a_missing_folder_is_refused_before_anything_is_recorded(
    folder, desk_reopen, tmp_path, command
):
    from tests.conftest import run_cli
    from vp_desk.reports import ledger

    out = tmp_path / "missing" / "file.md"
    if command == "report":
        args = ("report", "Acme BV", "--year", str(YEAR), "--out", str(out))
    else:
        period = ("--from", f"{YEAR}-01-01", "--to", f"{YEAR}-03-31")
        args = ("hours", "Acme BV", *period, "--invoice", "--out", str(out))
    result = run_cli(*args, data_dir=folder)
    assert result.returncode == 2, result.stderr
    assert "does not exist" in result.stderr and not out.parent.exists()
    with desk_reopen(folder) as desk:
        org = desk.find_organisation("Acme BV")
        kind = "report" if command == "report" else "invoice"
        assert ledger.all_entries(desk.index, org.id, kind) == []


# -- CSV for Dutch Excel -------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ['Acme;"=1+1', 'Acme, "=1+1', '"=HYPERLINK("x")', 'Acme; ""@SUM(1)', 'Acme;"-2+3']
)
def test_a_formula_after_a_quote_is_neutralised(name):
    import csv
    import io

    from vp_desk.reports.render_csv import write

    text = write([("report", "organisation", "Organisatie", name)]).decode("utf-8-sig")
    for sep in (";", ","):
        for line in text.splitlines()[1:]:
            for piece in line.split(sep):
                stripped = piece.strip().lstrip('"').lstrip()
                assert stripped[:1] not in ("=", "+", "-", "@"), (sep, piece)
    # Dutch Excel (a real CSV reader with ';') still gets the name back, marked
    (row,) = list(csv.reader(io.StringIO(text), delimiter=";"))[1:]
    assert row[3].replace("'", "") == name


@pytest.mark.parametrize(
    "text",
    [
        "25% van de meldingen ging over seksuele intimidatie.",
        "De helft van de meldingen betrof agressie.",
        "A third of the complaints concerned bullying.",
        "75% of cases were resolved by the employee.",  # 75% of 12: 3 cases outside
    ],
)
def test_a_share_of_the_cases_is_caught(text):
    from vp_desk.reports.pii import scan, summary

    assert [f.kind for f in scan(text)] == ["share"]
    assert summary(scan(text), "en") == ["text: a share of the cases (a percentage or fraction)"]


@pytest.mark.parametrize(
    "sentence",
    [
        "Het aantal meldingen steeg met 25%.",
        "De helft van de medewerkers kent de regeling.",
        "80% of staff know where to find the adviser.",
        "Half of the staff attended a training.",
    ],
)
def test_shares_of_other_things_pass(sentence):
    from vp_desk.reports.pii import scan

    assert scan(sentence) == []


def test_hours_on_cases_do_not_narrow_fewer_than_k_contact_moments(desk):
    """A contact moment lasts at most 24 hours, so "72.0 hours on cases" beside
    "contact moments: fewer than 5" says there were 3 or 4 - two values, below
    the protection interval of 3 (k = 5); at k = 3, 24.5 hours pin "2"."""
    from tests.reports.conftest import case_data
    from vp_desk.domain.models import OrganisationInput
    from vp_desk.reports.audit import protection_interval

    org = desk.add_organisation(OrganisationInput("Lang BV", 60, 5, 12, "nl"))
    items = []
    for i in range(5):
        opened = date(YEAR, 2 + i, 3)
        contacts = [{"date": opened, "minutes": 1440}] if i < 3 else []
        items.append((case_data(opened, "bullying"), contacts))
    desk.insert_cases(org.id, items, event="test")
    figures = reporting.build(desk, org.id, YEAR).figures
    k = figures["threshold"]
    assert "consultations" in figures["suppressed_figures"]
    hours = figures["hours"]["cases"]
    if hours is not None:
        least_minutes = max(0, int(hours * 60) - 15)
        lowest = max(1, -(-least_minutes // 1440))
        assert (k - 1) - lowest + 1 >= protection_interval(k), (hours, lowest)


def test_a_withheld_reissue_does_not_say_that_the_year_became_small(desk):
    """5 cases, final report; one case turns out to belong to the year before.
    The re-issue withholds every case figure - but its JSON still said
    "small_organisation": true, i.e. "now fewer than 5": exactly one case left."""
    from dataclasses import replace

    from tests.reports.conftest import case_data
    from vp_desk.domain.models import OrganisationInput

    org = desk.add_organisation(OrganisationInput("Vijf BV", 60, 5, 12, "nl"))
    items = [(case_data(date(YEAR, 2 + i, 3), "bullying"), []) for i in range(5)]
    desk.insert_cases(org.id, items, event="test")
    reporting.export(desk, org.id, YEAR, "json", final=True, today=TODAY)
    case_id = desk.conn(org.id).execute("SELECT min(id) FROM cases").fetchone()[0]
    moved = replace(desk.get_case(org.id, case_id).to_input(), opened=date(YEAR - 1, 12, 30))
    desk.update_case(org.id, case_id, moved)
    withheld = reporting.export(desk, org.id, YEAR, "json", withhold=True, today=TODAY)
    data = json.loads(withheld.data)
    assert data["withheld"] is True
    assert data["small_organisation"] in (None, False)
    # and the same output whether or not the year dropped below k
    assert data["small_organisation"] is None


@pytest.mark.parametrize(
    "dash", ["\u2e3a", "\ufe58", "\u02d7", "\u2796", "\u058a", "\u2043", "\u00b7"]
)
def test_any_dash_or_middle_dot_in_a_number_or_date(dash):
    from vp_desk.reports.pii import scan

    for text, kind in (
        (f"Bel 06{dash}12345678.", "phone"),
        (f"Op 12{dash}03{dash}1985.", "date"),
        (f"BSN 111{dash}222{dash}333.", "bsn"),
    ):
        assert kind in [f.kind for f in scan(text)], (text, scan(text))


def test_a_date_with_spaces_around_its_dashes():
    from vp_desk.reports.pii import scan

    assert [f.kind for f in scan("Het gebeurde op 12 - 03 - 1985.")] == ["date"]


def test_open_at_year_end_does_not_pin_a_hidden_none_row(desk):
    """Outcome 3 resolved, 4 talk with manager, 5 still open (k = 5): the
    complementary form hides "no outcome yet" as "hidden" (5 or more). An exact
    "open at the end of the year: 5" beside it says none <= 5: pinned at 5."""
    from dataclasses import replace

    from tests.reports.conftest import case_data
    from vp_desk.domain.models import OrganisationInput

    org = desk.add_organisation(OrganisationInput("Twaalf BV", 80, 5, 12, "nl"))
    items = []
    for i in range(12):
        opened = date(YEAR, 1 + i, 3)
        if i < 7:
            data = case_data(opened, "bullying", closed=date(YEAR, 1 + i, 20))
            if i >= 3:
                data = replace(data, outcome="talk_with_manager")
        else:
            data = case_data(opened, "bullying")
        items.append((data, []))
    desk.insert_cases(org.id, items, event="test")
    figures = reporting.build(desk, org.id, YEAR).figures
    outcome = next(t for t in figures["tables"] if t["id"] == "outcome")
    none_row = next(r for r in outcome["rows"] if r["code"] == "none")
    assert none_row.get("suppressed_as") == "hidden"  # the example's form
    assert figures["open_at_year_end"] is None
    assert "open_at_year_end" not in figures["suppressed_figures"]


@pytest.mark.parametrize("k", [3, 5])
def test_bruteforce_outcome_table_beside_open_at_year_end(k):
    """Every outcome table of two categories plus "no outcome yet" (totals k..12)
    and any number of older cases still open (unknown to the reader): grouped by
    what the outcome rows and "open at the end of the year" publish together, no
    hidden category is pinned or narrower than the protection interval, and none
    surely holds all but fewer than k cases."""
    from tests.reports.bruteforce import compositions
    from vp_desk.reports.audit import protection_interval
    from vp_desk.reports.disclosure import _open_beside_outcome, protect_counts

    codes = ["resolved_self", "talk_with_manager", "none"]
    interval = protection_interval(k)
    for total in range(k, 13):
        groups: dict[str, list[tuple[int, ...]]] = {}
        exact_of: dict[str, set[str]] = {}
        shown_open: dict[str, int | None] = {}
        for counts in compositions(total, 3):
            rows, _ = protect_counts(codes, dict(zip(codes, counts)), k)
            for older in range(2 * total + k + 1):
                open_value = counts[2] + older
                small = 1 <= open_value < k
                figures = {
                    "tables": [{"id": "outcome", "rows": [dict(r) for r in rows]}],
                    "open_at_year_end": None if small else open_value,
                    "suppressed_figures": ["open_at_year_end"] if small else [],
                }
                _open_beside_outcome(figures, [])
                key = repr((rows, figures["open_at_year_end"], figures["suppressed_figures"]))
                groups.setdefault(key, []).append(counts)
                shown_open[key] = figures["open_at_year_end"]
                exact_of[key] = {
                    r["code"] for r in rows if not r["suppressed"] and not r.get("members")
                }
        for key, worlds in groups.items():
            if (shown_open[key] or 0) > total + k:
                continue  # the enumeration of older open cases is cut off beyond this
            for i, code in enumerate(codes):
                assert min(w[i] for w in worlds) <= total - k, (total, key, code)
                if code in exact_of[key]:
                    continue
                values = {w[i] for w in worlds}
                assert max(values) - min(values) + 1 >= interval, (total, key, code, values)


def test_a_month_that_has_not_ended_cannot_be_specified(desk, acme):
    """Specified on 15 November, November's later contacts would all be "late":
    a second specification and the year's report hours would be refused."""
    from vp_desk.errors import UsageError

    reporting.set_disclose_case_hours(desk, acme.id, True)
    with pytest.raises(UsageError) as err:
        reporting.invoice(
            desk, acme.id, date(YEAR, 11, 1), date(YEAR, 11, 30), today=date(YEAR, 11, 15)
        )
    assert "ended" in str(err.value)
    spec = reporting.invoice(
        desk, acme.id, date(YEAR, 10, 1), date(YEAR, 10, 31), today=date(YEAR, 11, 15)
    )
    assert reporting.record_invoice(desk, acme.id, spec) == "recorded"
