"""Make the screenshots of the documentation (docs/screenshots/*.svg).

Builds the demo data folder (synthetic data only, ``vp-desk demo``'s preset,
with a fixed "today" so the pictures do not change from day to day) in a
temporary folder, runs the real app at 120x36 with Textual's Pilot, unlocks it
with the demo passphrase and exports each screen as SVG, in Dutch and English.

    python docs/screenshots/make_screenshots.py           # all screenshots
    python docs/screenshots/make_screenshots.py --lang nl # only the Dutch ones

The app itself offers no screenshot command (a screenshot is an unencrypted
copy of the screen); this script calls ``App.export_screenshot`` from outside.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

# The demo folder is thrown away afterwards: the Argon2id floor is enough.
os.environ.setdefault("VP_DESK_KDF", "minimum")

HERE = Path(__file__).resolve().parent
TODAY = date(2026, 11, 23)
SIZE = (120, 36)
ORG = "Demo Zorggroep Midden"
REPORT_YEAR = 2025
SIGNALS = {
    "nl": "Meer meldingen over intimidatie in de avonddienst dan vorig jaar.",
    "en": "More cases about intimidation in the evening shift than last year.",
}
RECOMMENDATIONS = {
    "nl": "Plan een training omgangsvormen voor de avonddienst.\n"
    "Vragen? Bel de teamleider op 06-12345678.",
    "en": "Plan a training on conduct at work for the evening shift.\n"
    "Questions? Call the team leader on 06-12345678.",
}


async def _wait(pilot, condition: Callable[[], object], timeout: float = 30.0) -> None:
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise RuntimeError("the app did not reach the expected screen in time")
        await pilot.pause(0.05)


async def _settle(pilot) -> None:
    for _ in range(2):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def _no_blink(app) -> None:
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


async def _shoot(pilot, name: str, lang: str, out: Path) -> Path:
    await _settle(pilot)
    _no_blink(pilot.app)
    await pilot.pause()
    path = out / f"{lang}-{name}.svg"
    path.write_text(pilot.app.export_screenshot(title="vp_desk"), encoding="utf-8")
    print(f"wrote {path}")
    return path


async def _run(folder: Path, lang: str, out: Path) -> list[Path]:
    from vp_desk.services import synthetic
    from vp_desk.tui.app import VpDeskApp
    from vp_desk.tui.screens.activities import ActivityScreen
    from vp_desk.tui.screens.case_view import CaseViewScreen
    from vp_desk.tui.screens.cases import CaseListScreen
    from vp_desk.tui.screens.dashboard import DashboardScreen
    from vp_desk.tui.screens.report import ReportScreen
    from vp_desk.tui.screens.retention import RetentionScreen

    written: list[Path] = []
    app = VpDeskApp(folder, lang, today=TODAY, auto_lock_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await _wait(pilot, lambda: app.screen.query("#passphrase"))
        written.append(await _shoot(pilot, "unlock", lang, out))
        app.screen.query_one("#passphrase").value = synthetic.DEMO_PASSPHRASE
        await pilot.press("enter")
        await _wait(
            pilot, lambda: app.desk is not None and isinstance(app.screen_stack[0], DashboardScreen)
        )
        app.set_language(lang)  # a language kept in the folder would win otherwise
        await _wait(
            pilot, lambda: app.screen_stack[0].rows is not None and app.reminders is not None
        )
        while app.screen.is_modal:  # drafts offered after unlock: none in a new folder
            app.pop_screen()
        [org] = [o for o in app.desk.organisations() if o.name == ORG]
        await _settle(pilot)
        for _ in app.desk.organisations():  # arrow down to the organisation, as a user would
            if app.current_org_id == org.id:
                break
            await pilot.press("down")
            await _settle(pilot)
        if app.current_org_id != org.id:
            raise RuntimeError(f"could not choose {ORG} on the overview")
        written.append(await _shoot(pilot, "dashboard", lang, out))

        await pilot.press("c")
        await _wait(pilot, lambda: isinstance(app.screen, CaseListScreen))
        await _settle(pilot)
        written.append(await _shoot(pilot, "cases", lang, out))

        await pilot.press("enter")
        await _wait(pilot, lambda: isinstance(app.screen, CaseViewScreen))
        written.append(await _shoot(pilot, "case", lang, out))

        await pilot.press("escape", "escape")
        await pilot.press("a")
        await _wait(pilot, lambda: isinstance(app.screen, ActivityScreen))
        written.append(await _shoot(pilot, "activities", lang, out))

        await pilot.press("escape")
        await pilot.press("r")
        await _wait(
            pilot, lambda: isinstance(app.screen, ReportScreen) and app.screen.preview is not None
        )
        while app.screen.year > REPORT_YEAR:
            await pilot.press("minus")
            await _settle(pilot)
        await _wait(
            pilot,
            lambda: (
                app.screen.preview is not None and app.screen.preview.report.year == REPORT_YEAR
            ),
        )
        written.append(await _shoot(pilot, "report", lang, out))

        # The free text is checked for personal data as it is typed.
        app.screen.query_one("#report-tabs").active = "tab-texts"
        await _settle(pilot)
        app.screen.query_one("#signals").text = SIGNALS[lang]
        app.screen.query_one("#recommendations").text = RECOMMENDATIONS[lang]
        await pilot.pause(0.3)
        written.append(await _shoot(pilot, "report-texts", lang, out))
        await pilot.press("ctrl+s")  # saved in the throw-away demo folder

        await pilot.press("escape")
        await pilot.press("b")
        await _wait(pilot, lambda: isinstance(app.screen, RetentionScreen))
        written.append(await _shoot(pilot, "retention", lang, out))
        await pilot.press("ctrl+q")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--lang",
        choices=("nl", "en"),
        action="append",
        help="Only this language (repeatable; default both).",
    )
    parser.add_argument("--out", type=Path, default=HERE, help="Folder for the SVG files.")
    args = parser.parse_args(argv)
    from vp_desk.services import synthetic

    args.out.mkdir(parents=True, exist_ok=True)
    for lang in args.lang or ["nl", "en"]:
        with tempfile.TemporaryDirectory(prefix="vp_desk-shots-") as tmp:
            # The temp folder stands in for the home folder, so the screens show the
            # demo's usual place (~/.local/share/vp_desk-demo), the same on every run.
            os.environ["HOME"] = tmp
            folder = Path(tmp) / ".local" / "share" / "vp_desk-demo"
            synthetic.ensure_demo_folder(folder, today=TODAY)
            asyncio.run(_run(folder, lang, args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
