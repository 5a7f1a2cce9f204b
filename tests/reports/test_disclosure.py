"""Disclosure control: what the employer sees never singles anyone out."""

from __future__ import annotations

from collections import defaultdict

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.reports.bruteforce import compositions, hidden_values, rule_knowing_reader
from vp_desk import vocabulary as voc
from vp_desk.reports.aggregate import MULTI_TABLES, SINGLE_TABLES, from_cases, table_codes
from vp_desk.reports.audit import (
    DisclosureRisk,
    audit,
    check_single,
    ensure_safe,
    groups_of,
    hidden_values_multi,
    protection_interval,
    row_bounds,
)
from vp_desk.reports.disclosure import (
    protect,
    protect_counts,
    protect_single,
    zeros_merged_values,
    zeros_merged_values_slow,
)
from vp_desk.reports.model import AnnualReport
from vp_desk.reports.view import build_view


def case(
    behaviour="bullying",
    relation="colleague",
    role="affected",
    outcome="resolved_self",
    channel="in_person",
    help=("advice",),
    referrals=(),
    quarter=1,
):
    return {
        "behaviour": behaviour,
        "relation": relation,
        "contact_role": role,
        "outcome": outcome,
        "channel": channel,
        "help": list(help),
        "referrals": list(referrals),
        "quarter": quarter,
    }


def published_counts(figures: dict) -> list[int]:
    counts = [
        figures[n]
        for n in ("new_cases", "open_at_year_end", "consultations")
        if figures[n] is not None
    ]
    counts += [r["count"] for t in figures["tables"] for r in t["rows"] if not r["suppressed"]]
    return counts


def table(figures: dict, tid: str) -> dict:
    return next(t for t in figures["tables"] if t["id"] == tid)


# -- known examples ----------------------------------------------------------------------------


def test_three_cases_get_no_breakdown_at_all():
    cases = [case("sexual_harassment"), case("bullying"), case("bullying", channel="phone")]
    figures = protect(
        from_cases(2026, cases, open_at_year_end=2, consultations=7, case_minutes=400), 5, 15
    )
    assert figures["new_cases"] is None
    assert figures["tables"] == []
    assert figures["small_organisation"] is True
    assert figures["open_at_year_end"] is None and figures["consultations"] is None
    # cases per 100 employees times 15 employees would give the 3 back
    assert figures["contacts_per_100_employees"] is None
    # what may still be published: hours and prevention work
    assert figures["hours"]["cases"] == 6.5  # 400 minutes, to the half hour
    assert {n["key"] for n in figures["notes"]} >= {"note_small_org", "note_threshold"}


def test_an_empty_year_looks_the_same_as_a_year_with_few_cases():
    empty = protect(from_cases(2026, []), 5, 15)
    few = protect(from_cases(2026, [case()]), 5, 15)
    assert empty["new_cases"] is few["new_cases"] is None
    assert empty["tables"] == few["tables"] == []


def test_twelve_cases_one_sexual_harassment_the_one_is_not_shown_nor_derivable():
    cases = (
        [case("sexual_harassment", channel="phone")]
        + [case("bullying") for _ in range(7)]
        + [case("work_conflict") for _ in range(4)]
    )
    figures = protect(from_cases(2026, cases), 5, 40)
    behaviour = table(figures, "behaviour")
    row = next(r for r in behaviour["rows"] if r["code"] == "sexual_harassment")
    assert row["suppressed"] and row["count"] is None
    assert all(c == 0 or c >= 5 for c in published_counts(figures))
    # the audit and an independent enumeration agree: it could be 1, 2, 3 or 4
    result = audit(figures)
    assert result.ok
    ranges = {r.code: (r.low, r.high) for r in result.ranges if r.table == "behaviour"}
    assert ranges["row:sexual_harassment"][0] < ranges["row:sexual_harassment"][1]
    values = hidden_values(behaviour, 5, 12)
    assert values["sexual_harassment"] == {1, 2, 3, 4}
    assert values["work_conflict"] == {1, 2, 3, 4}


def test_twelve_cases_one_harassment_eleven_bullying_is_combined_beside_the_zeros():
    cases = [case("sexual_harassment")] + [case("bullying") for _ in range(11)]
    figures = protect(from_cases(2026, cases), 5, 40)
    behaviour = table(figures, "behaviour")
    # "bullying 11" would give away "the other one", and hiding only the 11 would
    # still say "bullying: all but fewer than 5": the two are combined, the
    # empty categories are shown as 0 beside them
    merged = [r for r in behaviour["rows"] if r.get("members")]
    assert len(merged) == 1 and merged[0]["count"] == 12
    assert set(merged[0]["members"]) == {"sexual_harassment", "bullying"}
    assert merged[0]["members_nonzero"] is True
    others = [r for r in behaviour["rows"] if not r.get("members")]
    assert others and all(r["count"] == 0 and not r["suppressed"] for r in others)
    assert all(r["count"] != 11 for t in figures["tables"] for r in t["rows"])
    values = hidden_values(behaviour, 5, 12)
    assert values["sexual_harassment"] == set(range(1, 12)) == values["bullying"]
    assert audit(figures).ok


def test_suppressed_cells_that_sum_to_a_known_remainder_are_not_left_alone():
    # two hidden cells, both 1: the remainder 2 can only be 1 + 1
    counts = {c: 0 for c in table_codes("channel")}
    counts.update({"in_person": 10, "phone": 1, "video": 1})
    rows, how = protect_single("channel", counts, 5)
    assert how == "complementary"  # in person is hidden too, shown as "hidden"
    shown = {r["code"]: (r["count"], r.get("suppressed_as")) for r in rows}
    assert shown["in_person"] == (None, "hidden") and shown["phone"] == (None, None)
    values = hidden_values({"rows": rows}, 5, 12)
    assert values["phone"] == {1, 2, 3, 4} and values["in_person"] == {5, 6, 7, 8, 9, 10}
    # two hidden cells 1 and 3: 4 = 1 + 3 = 2 + 2 = 3 + 1, nothing pinned
    counts.update({"video": 3, "written": 5})
    rows, how = protect_single("channel", counts, 5)
    assert how == "plain"


def test_quarters_only_when_every_quarter_reaches_k():
    cases = [case(quarter=q) for q in (1, 2, 3, 4) for _ in range(5)]
    quarter = table(protect(from_cases(2026, cases), 5, 100), "quarter")
    assert [r["count"] for r in quarter["rows"]] == [5, 5, 5, 5]
    cases = [case(quarter=q) for q, n in ((1, 9), (2, 6), (3, 5), (4, 4)) for _ in range(n)]
    figures = protect(from_cases(2026, cases), 5, 100)
    assert not any(t["id"] == "quarter" for t in figures["tables"])
    assert any(n["key"] == "note_quarters" for n in figures["notes"])


def test_threshold_is_never_below_three():
    figures = protect(from_cases(2026, [case() for _ in range(3)]), 1, 10)
    assert figures["threshold"] == 3


def test_multi_valued_tables_suppress_small_counts_and_stay_unmerged():
    cases = [case(help=("advice", "referral"), referrals=("hr",)) for _ in range(2)]
    cases += [case(help=("advice",)) for _ in range(8)]
    figures = protect(from_cases(2026, cases), 5, 100)
    referrals = table(figures, "referrals")
    hr = next(r for r in referrals["rows"] if r["code"] == "hr")
    assert hr["suppressed"] and hr["count"] is None
    assert referrals["multi"] is True and referrals["total"] == 10
    assert not any(r.get("members") for r in referrals["rows"])


# -- the audit catches what it must --------------------------------------------------------------


def _figures_with(rows: list[dict], total: int = 12, k: int = 5, tid: str = "behaviour") -> dict:
    return {
        "threshold": k,
        "new_cases": total,
        "open_at_year_end": None,
        "consultations": None,
        "contacts_per_100_employees": None,
        "suppressed_figures": [],
        "tables": [{"id": tid, "multi": False, "total": total, "rows": rows}],
    }


def test_audit_flags_a_single_hidden_cell_in_a_row_with_a_total():
    rows = [
        {"code": "bullying", "count": 11, "suppressed": False},
        {"code": "sexual_harassment", "count": None, "suppressed": True},
    ]
    result = audit(_figures_with(rows))
    assert not result.ok
    with pytest.raises(DisclosureRisk):
        ensure_safe(_figures_with(rows))


def test_audit_flags_hidden_cells_pinned_by_the_remainder():
    rows = [
        {"code": "bullying", "count": 10, "suppressed": False},
        {"code": "sexual_harassment", "count": None, "suppressed": True},
        {"code": "intimidation", "count": None, "suppressed": True},
    ]
    assert not audit(_figures_with(rows)).ok  # 2 = 1 + 1
    rows[0]["count"] = 4  # 4 is itself below k
    assert any("below the threshold" in p for p in audit(_figures_with(rows)).problems)


def test_audit_flags_primary_rule_and_small_organisation_breaches():
    rows = [
        {"code": "bullying", "count": 2, "suppressed": False},
        {"code": "other", "count": 10, "suppressed": False},
    ]
    assert not audit(_figures_with(rows)).ok
    figures = _figures_with([{"code": "bullying", "count": 4, "suppressed": False}], total=4)
    figures["new_cases"] = None
    assert any("small-organisation" in p for p in audit(figures).problems)
    figures = _figures_with([], total=12)
    figures["tables"] = []
    figures["new_cases"] = None
    figures["contacts_per_100_employees"] = 20.0
    assert not audit(figures).ok


def test_audit_flags_merged_members_pinned_at_the_maximum():
    rows = [
        {"code": "bullying", "count": 6, "suppressed": False},
        {
            "code": "merged",
            "count": 8,
            "suppressed": False,
            "members": ["sexual_harassment", "intimidation"],
            "members_below_threshold": True,
        },
    ]
    assert not audit(_figures_with(rows, total=14)).ok  # 8 = 4 + 4 with members below 5


# -- properties over random case sets ------------------------------------------------------------


def _weighted(codes, heavy):
    return st.sampled_from(list(heavy) * 4 + list(codes))


def case_strategy():
    behaviours = list(voc.BEHAVIOURS)
    return st.fixed_dictionaries(
        {
            "behaviour": _weighted(behaviours, ["bullying", "work_conflict"]),
            "relation": st.one_of(st.none(), _weighted(list(voc.RELATIONS), ["colleague"])),
            "contact_role": st.one_of(st.none(), _weighted(list(voc.CONTACT_ROLES), ["affected"])),
            "outcome": st.one_of(st.none(), st.sampled_from(list(voc.OUTCOMES))),
            "channel": st.one_of(st.none(), _weighted(list(voc.CHANNELS), ["in_person", "phone"])),
            "help": st.lists(st.sampled_from(list(voc.HELP)), max_size=3),
            "referrals": st.lists(st.sampled_from(list(voc.REFERRALS)), max_size=2),
            "quarter": st.integers(1, 4),
        }
    )


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    cases=st.lists(case_strategy(), max_size=40),
    k=st.integers(3, 7),
    open_end=st.integers(0, 12),
    contacts=st.integers(0, 30),
)
def test_property_published_counts_are_zero_or_at_least_k_and_audit_is_clean(
    cases, k, open_end, contacts
):
    agg = from_cases(
        2026, cases, open_at_year_end=open_end, consultations=contacts, case_minutes=contacts * 40
    )
    figures = protect(agg, k, 80)
    assert all(c == 0 or c >= k for c in published_counts(figures))
    assert figures["new_cases"] is None or figures["new_cases"] >= k
    result = audit(figures)
    assert result.ok, result.problems
    assert not any(r.single for r in result.ranges)
    # the protection interval, for every hidden count in every table
    assert all(r.high - r.low + 1 >= protection_interval(k) for r in result.ranges)
    # group disclosure: no published category holds all cases or all but fewer than k
    for t in figures["tables"]:
        for r in t["rows"]:
            if not r["suppressed"] and not r.get("members") and r["count"]:
                assert len(cases) - r["count"] >= k, (t["id"], r)
    if len(cases) < k:  # the small-organisation rule
        assert figures["new_cases"] is None and figures["tables"] == []
        assert figures["contacts_per_100_employees"] is None
        assert figures["open_at_year_end"] is None and figures["consultations"] is None
    else:
        assert figures["new_cases"] == len(cases)
        for t in figures["tables"]:
            if not t["multi"]:
                shown = sum(r["count"] for r in t["rows"] if not r["suppressed"])
                assert shown <= len(cases)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases=st.lists(case_strategy(), min_size=3, max_size=14), k=st.integers(3, 5))
def test_property_brute_force_agrees_nothing_hidden_is_pinned(cases, k):
    figures = protect(from_cases(2026, cases), k, 50)
    for t in figures["tables"]:
        if t["multi"] or any(r.get("members") for r in t["rows"]):
            continue  # multi: rows are free; merged tables: checked exhaustively below
        for code, values in hidden_values(t, k, t["total"]).items():
            assert len(values) > 1, (t["id"], code, values)
            assert max(values) - min(values) + 1 >= protection_interval(k), (t["id"], code)


@pytest.mark.parametrize(
    "tid,k,totals",
    [
        ("channel", 3, range(3, 13)),
        ("channel", 4, range(4, 13)),
        ("channel", 5, range(5, 13)),
        ("contact_role", 5, range(5, 11)),
        ("relation", 5, range(5, 9)),
    ],
)
def test_even_knowing_the_rule_an_outsider_cannot_pin_a_small_count(tid, k, totals):
    """Every table of a dimension, grouped by what would be published: within each
    group, no category whose count is not shown can take only one value from 1 to k-1.

    This covers an outsider who knows the (open-source) rule and reasons about which
    tables could have produced what he sees.
    """
    codes = table_codes(tid)
    for total in totals:
        seen: dict[str, list[tuple[int, ...]]] = defaultdict(list)
        for counts in compositions(total, len(codes)):
            rows, _ = protect_single(tid, dict(zip(codes, counts)), k)
            seen[repr(rows)].append(counts)
        for key, worlds in seen.items():
            rows = eval(key)  # noqa: S307 - our own repr of plain dicts
            shown = {r["code"] for r in rows if not r["suppressed"] and not r.get("members")}
            for i, code in enumerate(codes):
                if code in shown:
                    continue
                values = {w[i] for w in worlds}
                assert not (len(values) == 1 and 1 <= min(values) < k), (total, key, code)


def test_every_table_is_listed_in_vocabulary_order():
    cases = [case(b) for b in voc.BEHAVIOURS for _ in range(5)]
    figures = protect(from_cases(2026, cases), 5, 500)
    ids = [t["id"] for t in figures["tables"]]
    assert ids[: len(SINGLE_TABLES) + len(MULTI_TABLES)] == list(SINGLE_TABLES + MULTI_TABLES)
    assert [r["code"] for r in table(figures, "behaviour")["rows"]] == list(voc.BEHAVIOURS)


# -- group disclosure and the protection interval (issue 12) -------------------------------------


def twelve_cases_one_profile() -> list[dict]:
    """The 12-case example: every case affected, resolved by the melder, in person."""
    behaviours = ["bullying"] * 6 + ["work_conflict"] * 6
    return [
        case(b, role="affected", outcome="resolved_self", channel="in_person") for b in behaviours
    ]


def test_group_disclosure_no_category_holds_all_twelve_cases():
    figures = protect(from_cases(2026, twelve_cases_one_profile()), 5, 40)
    for tid in ("contact_role", "outcome", "channel"):
        rows = table(figures, tid)["rows"]
        # not "affected 12 of 12": everything is combined, nothing else is said
        assert [r["code"] for r in rows] == ["merged"], tid
        assert rows[0]["count"] == 12 and len(rows[0]["members"]) > 1
    for t in figures["tables"]:
        if not t["multi"]:
            assert all(r.get("members") or r["count"] != 12 for r in t["rows"]), t["id"]
    # the audit refuses the old form of the table
    old = _figures_with(
        [{"code": "affected", "count": 12, "suppressed": False}]
        + [{"code": c, "count": 0, "suppressed": False} for c in ("witness", "enquiry")],
        tid="contact_role",
    )
    assert any("group disclosure" in p for p in audit(old).problems)


def test_group_disclosure_all_but_fewer_than_k_is_not_published_either():
    # 10 of 12 in person, 2 by phone: "in person 10" says "all but fewer than 5"
    cases = [case(channel="in_person") for _ in range(10)] + [case(channel="phone")] * 2
    figures = protect(from_cases(2026, cases), 5, 40)
    channel = table(figures, "channel")
    assert all(r["count"] != 10 for r in channel["rows"])
    # whatever is shown, no category is known to hold more than 12 - 5 cases
    result = audit(figures)
    assert result.ok, result.problems
    assert all(r.low <= 12 - 5 for r in result.ranges if r.table == "channel")
    old = _figures_with(
        [
            {"code": "in_person", "count": 10, "suppressed": False},
            {"code": "phone", "count": None, "suppressed": True},
            {"code": "video", "count": None, "suppressed": True},
        ],
        tid="channel",
    )
    assert any("group disclosure" in p for p in audit(old).problems)


def test_protection_interval_one_two_nine_no_longer_narrows_to_one_or_two():
    cases = (
        [case("sexual_harassment")]
        + [case("intimidation") for _ in range(2)]
        + [case("bullying") for _ in range(9)]
    )
    figures = protect(from_cases(2026, cases), 5, 40)
    result = audit(figures)
    assert result.ok, result.problems
    behaviour = table(figures, "behaviour")
    values = hidden_values(behaviour, 5, 12)
    for code in ("sexual_harassment", "intimidation"):
        assert max(values[code]) - min(values[code]) + 1 >= 3, (code, values[code])
    for r in result.ranges:
        assert r.high - r.low + 1 >= protection_interval(5), r
    # the plain form of that table is what the audit now refuses
    plain = _figures_with(
        [
            {"code": "sexual_harassment", "count": None, "suppressed": True},
            {"code": "intimidation", "count": None, "suppressed": True},
            {"code": "bullying", "count": 9, "suppressed": False},
        ]
    )
    problems = audit(plain).problems
    assert any("fewer than 3 values" in p for p in problems), problems
    with pytest.raises(DisclosureRisk):
        ensure_safe(plain)


def test_protection_interval_as_a_function_of_k():
    assert [protection_interval(k) for k in (3, 4, 5, 6, 7, 10)] == [2, 3, 3, 4, 4, 6]


def test_multi_valued_row_holding_every_case_or_nearly_is_hidden_as_hidden():
    cases = [case(help=("advice",)) for _ in range(12)]  # advice 12 of 12
    cases[0]["help"] = ["advice", "information"]
    cases[1]["help"] = ["advice", "information"]
    for i in range(6):
        cases[i]["referrals"] = ["hr"]
    for i in range(11):
        cases[i]["help"].append("initial_support")  # 11 of 12: all but fewer than 5
    figures = protect(from_cases(2026, cases), 5, 40)
    help_rows = {r["code"]: r for r in table(figures, "help")["rows"]}
    for code in ("advice", "initial_support", "information"):
        assert help_rows[code]["count"] is None, code
        assert help_rows[code]["suppressed_as"] == "hidden", code  # not "fewer than 5"
    assert table(figures, "referrals")["rows"][1]["code"] == "hr"
    assert {r["code"]: r["count"] for r in table(figures, "referrals")["rows"]}["hr"] == 6
    result = audit(figures)
    assert result.ok, result.problems
    advice = next(r for r in result.ranges if r.table == "help" and r.code == "advice")
    assert (advice.low, advice.high) == (1, 12)
    # the old form (advice 12 of 12) is refused
    old = _figures_with(
        [{"code": "advice", "count": 12, "suppressed": False}], tid="help", total=12
    )
    old["tables"][0]["multi"] = True
    assert any("group disclosure" in p for p in audit(old).problems)


def test_hidden_rows_say_hidden_in_the_report_and_json():
    counts = {c: 0 for c in table_codes("channel")}
    counts.update({"in_person": 10, "phone": 1, "video": 1})
    cases = [case(channel=c) for c, n in counts.items() for _ in range(n)]
    figures = protect(from_cases(2026, cases), 5, 40)
    for lang, word in (("en", "hidden"), ("nl", "afgeschermd")):
        report = AnnualReport("Acme", 2026, lang, figures)
        rows = {
            r["code"]: r
            for t in report.to_json()["tables"]
            for r in t["rows"]
            if t["id"] == "channel"
        }
        assert rows["in_person"]["shown_as"] == "hidden"
        assert "shown_as" not in rows["phone"]  # "fewer than k", as before
        view = build_view(report)
        channel = next(t for t in view.tables if t.id == "channel")
        values = [r.value for r in channel.rows]
        assert word in values and any(str(5) in v for v in values)


# -- every form, for random tables: nothing pinned, nothing narrower than the interval ------------


def _form_examples():
    return [
        ([9, 6, 0, 0, 0], 5, "plain"),
        ([10, 1, 1, 0, 0], 5, "complementary"),
        ([1, 11, 0, 0, 0], 5, "zeros_merged"),
        ([12, 0, 0, 0, 0], 5, "merged"),
        ([1, 7, 0], 3, "zeros_merged"),
        ([4, 1, 6, 0], 3, "complementary"),
        ([6, 0, 0, 0], 3, "merged"),
    ]


@pytest.mark.parametrize("values,k,form", _form_examples())
def test_each_form_is_taken_and_safe(values, k, form):
    codes = [f"c{i}" for i in range(len(values))]
    rows, how = protect_counts(codes, dict(zip(codes, values)), k)
    assert how == form
    total = sum(values)
    assert not check_single({"id": "t", "rows": rows}, k, total)[1]
    for code, vals in hidden_values({"rows": rows}, k, total).items():
        assert len(vals) >= 2 and max(vals) - min(vals) + 1 >= protection_interval(k), code


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(
        st.one_of(st.integers(0, 2), st.integers(0, 8), st.integers(0, 40)),
        min_size=3,
        max_size=9,
    ),
    k=st.integers(3, 7),
)
def test_property_no_form_pins_or_narrows_a_hidden_count(values, k):
    total = sum(values)
    if total < k:
        return  # the small-organisation rule: no table at all
    codes = [f"c{i}" for i in range(len(values))]
    rows, how = protect_counts(codes, dict(zip(codes, values)), k)
    event(how)
    ranges, problems = check_single({"id": "t", "rows": rows}, k, total)
    assert not problems, (how, problems)
    p = protection_interval(k)
    assert all(r.high - r.low + 1 >= p and r.low <= total - k for r in ranges), how
    shown = {r["code"]: r["count"] for r in rows if not r["suppressed"] and not r.get("members")}
    assert all(c == 0 or k <= c <= total - k for c in shown.values())
    assert all(values[int(c[1:])] == n for c, n in shown.items())  # published = true
    if total <= 16:  # the independent enumeration, from the published rows alone
        for code, vals in hidden_values({"rows": rows}, k, total).items():
            assert values[int(code[1:])] in vals
            assert len(vals) >= 2 and max(vals) - min(vals) + 1 >= p, (how, code, vals)


@pytest.mark.parametrize("k", [3, 4, 5])
def test_even_knowing_the_rule_every_form_small_brute_force(k):
    """The benchmark's rule-knowing reader, smaller: every table of 3 and 4
    categories up to total 11, grouped by what would be published."""

    def rule(codes, counts, k):
        return protect_counts(codes, counts, k)[0]

    rule.interval = protection_interval
    for n in (3, 4):
        seen = rule_knowing_reader(rule, n, range(k, 12), k)
        assert seen["hidden"] > 0
        assert seen["pinned"] == seen["narrow"] == seen["group"] == 0, (n, seen)


def test_zeros_beside_merged_check_over_multisets_equals_the_plain_enumeration():
    for n in range(2, 6):
        for total in range(n, 17):
            for k in (3, 4, 5, 6):
                fast = zeros_merged_values(n, total, k)
                assert fast == zeros_merged_values_slow(n, total, k), (n, total, k)


def test_audit_knows_the_rule_too():
    # two "fewer than 5" rows and one "hidden" row sharing 10 cases: by the numbers alone
    # the hidden row is 5 to 8, but plain suppression would have been published for 1+4+5,
    # 2+3+5, ... so a reader who knows the rule knows it is 6 to 8: all but fewer than 5
    rows = [
        {"code": "phone", "count": None, "suppressed": True},
        {"code": "video", "count": None, "suppressed": True},
        {"code": "written", "count": None, "suppressed": True, "suppressed_as": "hidden"},
    ]
    figures = _figures_with(rows, total=10, tid="channel")
    assert not check_single(figures["tables"][0], 5, 10)[1]  # the numbers alone: fine
    problems = audit(figures).problems
    assert any("knowing the rule" in p for p in problems), problems
    # a "hidden" row before a published row of k or more is not a form the rule makes
    rows = [
        {"code": "in_person", "count": None, "suppressed": True, "suppressed_as": "hidden"},
        {"code": "phone", "count": None, "suppressed": True},
        {"code": "video", "count": 9, "suppressed": False},
    ]
    problems = audit(_figures_with(rows, total=20, tid="channel")).problems
    assert any("would not have produced" in p for p in problems), problems
    # zeros beside a combined row of three categories holding 6: every such table would
    # have been published plainly or with complementary suppression, so the form is a lie
    rows = [
        {
            "code": "merged",
            "count": 6,
            "suppressed": False,
            "members": ["in_person", "phone", "video"],
            "members_nonzero": True,
        },
        {"code": "written", "count": 0, "suppressed": False},
    ]
    assert not check_single({"id": "channel", "rows": rows}, 5, 6)[1]
    problems = audit(_figures_with(rows, total=6, tid="channel")).problems
    assert any("knowing the rule" in p for p in problems), problems


def test_bounds_of_hidden_rows_for_the_reissue_check():
    single = {"id": "channel", "multi": False, "total": 20, "rows": []}
    multi = {"id": "help", "multi": True, "total": 20, "rows": []}
    hidden = {"code": "advice", "count": None, "suppressed": True, "suppressed_as": "hidden"}
    fewer = {"code": "advice", "count": None, "suppressed": True}
    assert row_bounds(hidden, 5, 20) == (5, 20)  # complementary: k or more
    assert row_bounds(hidden, 5, 20, multi=True) == (1, 20)
    assert row_bounds(fewer, 5, 20) == (1, 4)
    assert groups_of({**single, "rows": [hidden]}, 5)[0].low == 5
    assert groups_of({**multi, "rows": [hidden]}, 5)[0].low == 1
    assert hidden_values_multi(5, 20) == [1, 2, 3, 4, 16, 17, 18, 19, 20]
