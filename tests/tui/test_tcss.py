"""Screen and dialog styles live in .tcss files (issue 14, "Smaller rooms"):
Textual live-reloads files (``textual run --dev``), not DEFAULT_CSS strings.

A screen's ``CSS_PATH`` is resolved next to the module of the class that is
shown, and its rules apply to the whole app once it has been shown; so every
file a screen names must ship in the package, must parse, and each of its rules
must start with the type of a screen that names it. See docs/architecture.md,
"Styles"."""

from __future__ import annotations

import fnmatch
import importlib
import inspect
import pkgutil
import tomllib
from importlib import resources
from pathlib import Path, PurePosixPath

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.screen import Screen
from textual.widgets import SelectionList

import vp_desk
import vp_desk.tui
from tests.tui.cases_support import run_screen
from vp_desk.tui.app import VpDeskApp
from vp_desk.tui.screens.case_form import CaseFormScreen

PACKAGE_DIR = Path(vp_desk.__file__).parent
PYPROJECT = PACKAGE_DIR.parent / "pyproject.toml"

# Every screen and dialog has moved; a new exception would be named here.
NOT_YET_MOVED: set[str] = set()


def _tui_classes() -> list[type]:
    """Every Screen and App class defined in vp_desk.tui, found by importing each module."""
    found: dict[str, type] = {}
    for info in pkgutil.walk_packages(vp_desk.tui.__path__, "vp_desk.tui."):
        module = importlib.import_module(info.name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, (Screen, App)) and obj.__module__ == info.name:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return list(found.values())


def _css_files(cls: type) -> list[Path]:
    """The files Textual loads for ``cls``: CSS_PATH, relative to the class's module
    (Textual resolves it against the file of the instance's class)."""
    paths = cls.CSS_PATH
    if paths is None:
        return []
    if isinstance(paths, (str, PurePosixPath, Path)):
        paths = [paths]
    here = Path(inspect.getfile(cls)).parent
    return [(here / path).resolve() for path in paths]


def _referencing() -> dict[Path, set[type]]:
    files: dict[Path, set[type]] = {}
    for cls in _tui_classes():
        for path in _css_files(cls):
            files.setdefault(path, set()).add(cls)
    return files


def test_the_walk_finds_the_screens_and_dialogs():
    names = {cls.__name__ for cls in _tui_classes()}
    assert {"VpDeskApp", "CaseFormScreen", "ConfirmDialog", "HoursDialog", "RecordForm"} <= names
    assert {"ActivityFormScreen", "ConsultationFormScreen", "PassphraseDialog"} <= names


def test_every_css_path_is_a_resource_of_the_installed_package():
    tui = resources.files("vp_desk.tui")
    root = Path(str(tui)).resolve()
    referenced = _referencing()
    assert len(referenced) >= 17  # app.tcss and the screens' and dialogs' files
    for path, classes in referenced.items():
        owners = sorted(cls.__name__ for cls in classes)
        assert path.is_relative_to(root), f"{owners}: {path} is outside vp_desk/tui"
        resource = tui.joinpath(*path.relative_to(root).parts)
        assert resource.is_file(), f"{owners}: CSS_PATH {path.name} is missing"
        assert resource.read_text(encoding="utf-8").strip(), f"{path.name} is empty"


def test_every_tcss_file_ships_in_the_wheel_and_sdist():
    """The package-data globs in pyproject.toml cover every .tcss file in the package
    (without them the installed app starts without its styles)."""
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["vp_desk"]
    tcss = sorted(p.relative_to(PACKAGE_DIR).as_posix() for p in PACKAGE_DIR.rglob("*.tcss"))
    assert "tui/app.tcss" in tcss and "tui/dialogs/hours.tcss" in tcss
    for name in tcss:
        # setuptools globs: "*" stays within one folder.
        assert any(fnmatch.fnmatch(name, g) and name.count("/") == g.count("/") for g in globs), (
            f"{name} is not in [tool.setuptools.package-data]"
        )
    referenced = {p.relative_to(PACKAGE_DIR).as_posix() for p in _referencing()}
    assert set(tcss) - referenced == set(), "a .tcss file nobody loads"


def test_each_file_parses_and_stays_within_its_screens():
    """A screen's file applies to the whole app once the screen was shown, so each
    rule starts with the type of a screen that names the file (or its base)."""
    variables = App().get_css_variables()
    for path, classes in _referencing().items():
        sheet = Stylesheet(variables=variables)
        sheet.read(path)
        sheet.parse()  # raises on a syntax error or an unknown variable
        if any(issubclass(cls, App) for cls in classes):
            continue  # app.tcss styles the whole app by design
        allowed = {base.__name__ for cls in classes for base in cls.__mro__}
        for rule in sheet.rules:
            for selector_set in rule.selector_set:
                first = selector_set.selectors[0].name
                assert first in allowed, f"{path.name}: rule for {first!r} leaks out"


def test_screens_and_dialogs_carry_no_default_css():
    """Reusable widgets keep DEFAULT_CSS (Textual's convention); screens use files."""
    for cls in _tui_classes():
        if cls.__module__ in NOT_YET_MOVED or not issubclass(cls, Screen):
            continue
        assert not cls.__dict__.get("DEFAULT_CSS"), f"{cls.__name__} has DEFAULT_CSS"
        assert not cls.__dict__.get("CSS"), f"{cls.__name__} has inline CSS"


def test_app_css_path_is_the_packaged_file():
    assert [p.name for p in _css_files(VpDeskApp)] == ["app.tcss"]


@pytest.mark.asyncio
async def test_case_form_lists_show_where_the_focus_is(desk, org):
    """Moved from DEFAULT_CSS, the form's ``border: none`` now outranks Textual's own
    OptionList:focus border; the file keeps it, so the focus stop stays visible."""
    async with run_screen(desk, org.id, lambda: CaseFormScreen(org.id, None)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, CaseFormScreen)
        lists = list(screen.query(SelectionList))
        assert lists
        first = lists[0]
        assert first.styles.border_top[0] in ("", "none")
        first.focus()
        await pilot.pause()
        assert first.has_focus
        assert first.styles.border_top[0] == "tall"
        assert first.styles.padding.top == 0  # the file's other rules still apply
