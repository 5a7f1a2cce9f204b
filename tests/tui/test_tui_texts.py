"""The app's texts come from tables through the one lookup (issue 14, "One translation
mechanism"): no inline ``x if lang == "nl" else y`` pairs in the app, and the texts
that used such pairs read exactly as before."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import vp_desk.tui
from vp_desk import i18n
from vp_desk.tui import drafts
from vp_desk.tui.screens.audit import EVENTS, event_label
from vp_desk.tui.screens.dashboard import DATE_NAMES, long_date

TUI = Path(vp_desk.tui.__file__).parent
# Every module of the app uses the lookup; a new exception would be named here.
NOT_YET: set[str] = set()


def _language_tests(tree: ast.AST):
    """``a if <lang> == "nl" else b`` (or ``!=``, ``"en"``) expressions."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.IfExp) or not isinstance(node.test, ast.Compare):
            continue
        sides = [node.test.left, *node.test.comparators]
        if any(isinstance(s, ast.Constant) and s.value in i18n.LANGS for s in sides):
            yield node.lineno


def test_no_inline_language_pairs_in_the_app():
    found = []
    for path in sorted(TUI.rglob("*.py")):
        name = path.relative_to(TUI).as_posix()
        if name in NOT_YET:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{name}:{line}" for line in _language_tests(tree)]
    assert not found, found


def test_the_checker_sees_an_inline_pair():
    tree = ast.parse('stem = "uren" if self.lang == "nl" else "hours"')
    assert list(_language_tests(tree)) == [1]


def test_the_date_line_reads_as_before():
    day = date(2026, 3, 16)
    assert long_date(day, "nl") == "maandag 16 maart 2026 · week 12"
    assert long_date(day, "en") == "Monday 16 March 2026 · week 12"
    assert long_date(date(2026, 12, 27), "nl") == "zondag 27 december 2026 · week 52"
    assert long_date(date(2027, 1, 1), "de") == "Friday 1 January 2027 · week 53"


def test_the_new_tables_are_registered_and_complete():
    assert i18n.TABLES["vp_desk.tui.screens.dashboard:DATE_NAMES"] is DATE_NAMES
    assert i18n.TABLES["vp_desk.tui.screens.audit:EVENTS"] is EVENTS
    assert "vp_desk.tui.drafts:LABELS" in i18n.TABLES
    assert len(DATE_NAMES) == 7 + 12


def test_audit_events_and_draft_kinds_in_both_languages_and_unknown_ones_as_they_are():
    assert event_label("backup", "nl") == "Backup gemaakt"
    assert event_label("backup", "en") == "Backup made"
    assert event_label("some.future_event", "nl") == "some.future_event"
    import vp_desk.tui.screens.case_form  # noqa: F401  (registers its draft kind)

    kinds = i18n.TABLES["vp_desk.tui.drafts:LABELS"]
    assert kinds, "the forms register the names of their drafts"
    kind, (nl, en) = next(iter(kinds.items()))
    assert drafts.kind_label(kind, "nl") == nl
    assert drafts.kind_label(kind, "en") == en
    assert drafts.kind_label("never_registered", "nl") == "never registered"


def test_choose_is_the_one_choice():
    assert i18n.choose(("ja", "yes"), "nl") == "ja"
    assert i18n.choose(("ja", "yes"), "en") == "yes"
    assert i18n.choose(("ja", "yes"), "fr") == "yes"
