"""The one translation mechanism (vp_desk/i18n.py): every text in nl and en, every
literal key used by the CLI and the app present in its table, one number format."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import string
from collections.abc import Mapping
from pathlib import Path

import pytest

import vp_desk
from vp_desk import i18n
from vp_desk.errors import VpDeskError
from vp_desk.i18n import MissingText, format_hours, format_number, lookup

ROOT = Path(vp_desk.__file__).parent

#: Helpers that look a literal key up in a fixed table: (module, function) -> (module, table).
WRAPPERS = {
    ("vp_desk.i18n", "t"): ("vp_desk.i18n", "MESSAGES"),
    ("vp_desk.reports.strings", "s"): ("vp_desk.reports.strings", "STRINGS"),
    ("vp_desk.services.dossier", "tr"): ("vp_desk.services.dossier", "TEXT"),
    ("vp_desk.services.importer", "msg"): ("vp_desk.services.importer", "MESSAGES"),
    ("vp_desk.services.importer", "_file_error"): ("vp_desk.services.importer", "MESSAGES"),
    ("vp_desk.cli.import_cmd", "_t"): ("vp_desk.cli.import_cmd", "TEXT"),
    ("vp_desk.cli.demo_cmd", "_t"): ("vp_desk.cli.demo_cmd", "TEXT"),
    ("vp_desk.cli.report_cmds", "_say"): ("vp_desk.cli.report_cmds", "MESSAGES"),
    ("vp_desk.cli.common", "say"): ("vp_desk.cli.common", "MESSAGES"),
    ("vp_desk.cli.case_cmds", "_say"): ("vp_desk.cli.case_cmds", "TEXT"),
    ("vp_desk.cli.lifecycle_cmds", "_say"): ("vp_desk.cli.lifecycle_cmds", "TEXT"),
    ("vp_desk.i18n", "message"): ("vp_desk.i18n", "MESSAGES"),
    ("vp_desk.services.reminders", "_text"): ("vp_desk.services.reminders", "TEXTS"),
}
#: Methods ``self.<name>(key)`` that look the key up in their module's ``STRINGS``.
METHODS = {"t", "_s"}


def _modules() -> list[str]:
    names = ["vp_desk"]
    for info in pkgutil.walk_packages([str(ROOT)], "vp_desk."):
        names.append(info.name)
    return sorted(names)


def _is_table(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and bool(value)
        and all(isinstance(k, str) for k in value)
        and all(isinstance(v, tuple) and len(v) == 2 for v in value.values())
        and all(isinstance(x, str | Mapping) for v in value.values() for x in v)
    )


def _tables() -> dict[str, Mapping]:
    """Every registered table and every module-level ``{key: (nl, en)}`` table."""
    found: dict[str, Mapping] = dict(i18n.TABLES)
    for name in _modules():
        module = importlib.import_module(name)
        for attr, value in vars(module).items():
            if attr.isupper() and _is_table(value):
                found.setdefault(f"{name}:{attr}", value)
    return found


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def _forms(text: str | Mapping[str, str]) -> list[str]:
    return [text] if isinstance(text, str) else list(text.values())


def test_every_table_entry_exists_in_dutch_and_english_with_the_same_placeholders():
    tables = _tables()
    assert len(tables) >= 30, sorted(tables)
    problems = []
    for name, table in tables.items():
        for key, pair in table.items():
            nl, en = pair
            for lang, text in (("nl", nl), ("en", en)):
                if isinstance(text, Mapping) and set(text) - {"one", "other"}:
                    problems.append(f"{name}[{key}] {lang}: plural forms are one/other")
                if isinstance(text, Mapping) and "other" not in text:
                    problems.append(f"{name}[{key}] {lang}: no 'other' form")
                if not all(form.strip() for form in _forms(text)):
                    problems.append(f"{name}[{key}] {lang}: empty")
            nl_fields = set().union(*(_fields(f) for f in _forms(nl)))
            en_fields = set().union(*(_fields(f) for f in _forms(en)))
            if nl_fields != en_fields:
                problems.append(f"{name}[{key}]: {{{nl_fields}}} in nl, {{{en_fields}}} in en")
    assert not problems, "\n".join(problems)


def _resolve(module, expr: ast.expr):
    """The table ``expr`` names in ``module`` (``STRINGS``, ``self.STRINGS``, ``mod.TABLE``)."""
    if isinstance(expr, ast.Dict):
        return ast.literal_eval(expr)
    if isinstance(expr, ast.Name):
        return getattr(module, expr.id, None)
    if isinstance(expr, ast.Attribute):
        if isinstance(expr.value, ast.Name) and expr.value.id in ("self", "cls"):
            return getattr(module, expr.attr, None)
        owner = _resolve(module, expr.value)
        return getattr(owner, expr.attr, None) if owner is not None else None
    return None


def _literal(expr: ast.expr) -> str | None:
    if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
        return expr.value
    return None


UNRESOLVED: list[str] = []


def _used_keys():
    """(module, line, table, key) for every literal key passed to a lookup."""
    wrappers = {}
    for (mod, func), (tmod, table) in WRAPPERS.items():
        try:
            fn = getattr(importlib.import_module(mod), func)
        except AttributeError:
            continue
        wrappers[fn] = getattr(importlib.import_module(tmod), table)
    from vp_desk.tui.i18n import pick

    for name in _modules():
        module = importlib.import_module(name)
        path = Path(module.__file__)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        local = {}  # names imported inside functions
        aliases = set()  # ``s = self._s``: a method under a local name
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Attribute)
                and isinstance(node.value.value, ast.Name)
                and node.value.value.id == "self"
                and node.value.attr in METHODS
            ):
                aliases.update(t.id for t in node.targets if isinstance(t, ast.Name))
            if isinstance(node, ast.ImportFrom) and node.module:
                source = importlib.import_module(node.module)
                for alias in node.names:
                    local[alias.asname or alias.name] = getattr(source, alias.name, None)
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript):
                table = _resolve(module, node.value)
                key = _literal(node.slice)
                if key is not None and isinstance(table, Mapping) and _is_table(table):
                    yield name, node.lineno, table, key
                continue
            if isinstance(node, ast.Call):  # ``UsageError(key="...")``: an error's message
                obj = _resolve(module, node.func) if isinstance(node.func, ast.Name) else None
                obj = obj or (local.get(node.func.id) if isinstance(node.func, ast.Name) else None)
                if isinstance(obj, type) and issubclass(obj, VpDeskError):
                    for keyword in node.keywords:
                        if keyword.arg == "key" and (key := _literal(keyword.value)) is not None:
                            yield name, node.lineno, i18n.MESSAGES, key
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            if isinstance(func, ast.Name) and func.id in aliases:
                if (key := _literal(node.args[0])) is not None:
                    yield name, node.lineno, module.STRINGS, key
            elif isinstance(func, ast.Name):
                obj = getattr(module, func.id, None) or local.get(func.id)
                if obj is pick or obj is lookup:
                    if len(node.args) >= 2 and (key := _literal(node.args[1])) is not None:
                        table = _resolve(module, node.args[0])
                        if table is None:  # a subclass's table, chosen at run time
                            UNRESOLVED.append(f"{name}:{node.lineno}")
                            continue
                        yield name, node.lineno, table, key
                elif obj in wrappers and (key := _literal(node.args[0])) is not None:
                    yield name, node.lineno, wrappers[obj], key
            elif (
                isinstance(func, ast.Attribute)
                and isinstance(func.value, ast.Name)
                and func.value.id == "self"
                and func.attr in METHODS
                and isinstance(getattr(module, "STRINGS", None), Mapping)
                and (key := _literal(node.args[0])) is not None
            ):
                yield name, node.lineno, module.STRINGS, key


def test_every_literal_key_used_by_the_cli_and_the_app_exists():
    used = list(_used_keys())
    modules = {m for m, *_ in used}
    # The collector must see the app, the CLI, the reports and the services.
    assert len(used) > 450, len(used)
    for part in (
        "vp_desk.cli.",
        "vp_desk.tui.screens.",
        "vp_desk.tui.dialogs.",
        "vp_desk.reports.",
        "vp_desk.services.",
    ):
        assert any(m.startswith(part) for m in modules), part
    assert len(UNRESOLVED) < 20, UNRESOLVED
    missing = [f"{m}:{line}: {key!r}" for m, line, table, key in used if key not in table]
    assert not missing, "\n".join(missing)


def test_errors_of_the_core_are_translated():
    from vp_desk.errors import NotFound, UsageError, ValidationError, WrongPassphrase
    from vp_desk.i18n import error_text

    assert WrongPassphrase().text("nl").startswith("De wachtzin klopt niet.")
    assert str(WrongPassphrase()).startswith("The passphrase is wrong.")
    missing = NotFound(key="err_no_case_code", code="2026-009")
    assert str(missing) == "There is no case 2026-009 in this organisation."
    assert error_text(missing, "nl") == "Er is geen melding 2026-009 in deze organisatie."
    # A ready sentence stays as it is; a validation error's codes are translated.
    assert error_text(UsageError("as it is"), "nl") == "as it is"
    invalid = ValidationError({"name": "duplicate_name"})
    assert error_text(invalid, "nl") == (
        "Ongeldige invoer (name: Er is al een organisatie met deze naam.)."
    )
    assert error_text(ValueError("x"), "nl") == "x"


def test_every_error_of_vp_desk_errors_has_a_dutch_message():
    from vp_desk import errors

    made = [
        errors.WrongPassphrase(),
        errors.DamagedFile("key file"),
        errors.NewerSchema("index vault", 9, 8),
        errors.AlreadyRunning("/data"),
        errors.NotInitialised("/data"),
        errors.UnsafeSQLite(),
        errors.StorageFull(),
        errors.StorageFull("the backup"),
    ]
    for exc in made:
        assert exc.key is not None, type(exc)
        nl, en = exc.text("nl"), exc.text("en")
        assert nl != en and en == str(exc), type(exc)
        assert "{" not in nl + en, type(exc)


def test_a_missing_key_raises_in_tests_and_shows_the_key_otherwise(monkeypatch):
    table = {"here": ("hier", "here")}
    with pytest.raises(MissingText):
        lookup(table, "not_here", "nl")
    monkeypatch.delenv("VP_DESK_STRICT_I18N")
    assert lookup(table, "not_here", "nl") == "not_here"


def test_plural_forms_follow_the_count():
    table = {
        "cases": (
            {"one": "{count} melding", "other": "{count} meldingen"},
            {"one": "{count} case", "other": "{count} cases"},
        )
    }
    assert lookup(table, "cases", "nl", count=1) == "1 melding"
    assert lookup(table, "cases", "nl", count=0) == "0 meldingen"
    assert lookup(table, "cases", "en", count=3) == "3 cases"
    assert lookup(table, "cases", "en", count=1) == "1 case"


@pytest.mark.parametrize(
    ("value", "lang", "decimals", "expected"),
    [
        (1234.5, "nl", 1, "1.234,5"),
        (1234.5, "en", 1, "1,234.5"),
        (1234567, "nl", 0, "1.234.567"),
        (0.25, "nl", 2, "0,25"),
    ],
)
def test_format_number_uses_a_decimal_comma_in_dutch(value, lang, decimals, expected):
    assert format_number(value, lang, decimals) == expected


def test_format_hours_from_minutes():
    assert format_hours(lang="nl", minutes=90) == "1,5"
    assert format_hours(lang="en", minutes=90) == "1.5"
    assert format_hours(1234.56, "nl") == "1.234,6"
    assert format_hours(lang="nl", minutes=60 * 1500, grouping=False) == "1500,0"
    assert format_number(2.50, "nl", 2, grouping=False, trim=True) == "2,5"


def test_no_decimal_comma_code_outside_the_formatter():
    pattern = re.compile(r"""replace\(\s*["']\.["']\s*,\s*["'],["']""")
    copies = [
        str(path.relative_to(ROOT))
        for path in ROOT.rglob("*.py")
        if path.name != "i18n.py" and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not copies, copies


def test_a_message_is_english_as_a_str_and_any_language_on_request():
    """What the vault and services return (verify's problems, part names): a
    ``Message`` compares and logs as English and translates its figures too."""
    import pickle

    from vp_desk.errors import DamagedFile
    from vp_desk.i18n import Message, in_lang, message

    part = message("part_org_vault", number=3, file="org-ab.db")
    problem = message("verify_in_part", part=part, problem=message("audit_changed", seq=7))
    assert problem == "vault of organisation 3 (org-ab.db): audit row 7 was changed"
    assert (
        in_lang(problem, "nl")
        == "de kluis van organisatie 3 (org-ab.db): auditregel 7 is gewijzigd"
    )
    assert in_lang("as it is", "nl") == "as it is"
    again = pickle.loads(pickle.dumps(problem))
    assert isinstance(again, Message) and again.text("nl") == problem.text("nl")
    damaged = DamagedFile(message("part_key_file"))
    assert str(damaged).startswith("The key file is damaged")
    assert damaged.text("nl").startswith(
        "Dit deel van de datamap is beschadigd of gewijzigd: het sleutelbestand."
    )


def test_the_keys_passed_as_values_exist():
    """Message keys handed on as values (not literal lookups the collector sees)."""
    from vp_desk.services import backup, handover

    assert handover.WRONG in i18n.MESSAGES
    source = Path(backup.__file__).read_text(encoding="utf-8")
    assert '"err_wrong_backup_passphrase"' in source
    assert "err_wrong_backup_passphrase" in i18n.MESSAGES


#: ``x if lang == "nl" else y`` left in the services on purpose: formats, not texts.
INLINE_PAIRS_ALLOWED = {
    "synthetic.py",  # the demo's import file: Dutch date and CSV conventions
    "importer.py",  # which column names (nl or en) to list
}


def test_no_inline_dutch_english_pairs_in_the_services():
    found = []
    for path in sorted((ROOT / "services").glob("*.py")):
        if path.name in INLINE_PAIRS_ALLOWED:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            test = node.test if isinstance(node, ast.IfExp | ast.If) else None
            if isinstance(test, ast.Compare) and any(
                isinstance(c, ast.Constant) and c.value in ("nl", "en") for c in test.comparators
            ):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found


def test_a_too_long_text_says_its_limit_in_both_languages(desk, org):
    """The limit reaches the sentence, not "not a valid value"."""
    from vp_desk.errors import ValidationError
    from vp_desk.i18n import error_text
    from vp_desk.services import reporting

    with pytest.raises(ValidationError) as caught:
        reporting.save_texts(desk, org.id, 2026, "x" * (reporting.MAX_TEXT + 1), "")
    assert "20000" in error_text(caught.value, "en").replace(",", "").replace(".", "")
    assert "maximaal" in error_text(caught.value, "nl")
    assert reporting.get_texts(desk, org.id, 2026).signals == ""
