"""Delete a case logged by mistake, or destroy it now at the melder's request,
from the case view: the same questions as ``vp-desk case delete`` and
``vp-desk case destroy`` ask, then ``services.erasure`` does the work."""

from __future__ import annotations

from rich.text import Text

from vp_desk.errors import VpDeskError
from vp_desk.tui.dialogs.confirm import ConfirmDialog
from vp_desk.tui.i18n import pick
from vp_desk.tui.widgets.notify import notify_safe

STRINGS = {
    "delete_title": ("Casus verwijderen", "Delete case"),
    "delete_question": (
        "Casus {code} volledig verwijderen, met al zijn contactmomenten? Gebruik dit alleen "
        "voor een casus die per vergissing is vastgelegd: hij telt daarna in geen enkel "
        "verslag meer mee. Dit kan niet ongedaan worden gemaakt.",
        "Delete case {code} with all its contact moments for good? Use this only for a case "
        "logged by mistake: it will no longer count in any report. This cannot be undone.",
    ),
    "delete_yes": ("Verwijderen", "Delete"),
    "deleted": (
        "Casus {code} is verwijderd (vastgelegd in de audittrail).",
        "Case {code} was deleted (recorded in the audit trail).",
    ),
    "destroy_title": ("Nu vernietigen op verzoek", "Destroy now on request"),
    "destroy_question": (
        "De notities van casus {code} en van al zijn contactmomenten nu vernietigen, op "
        "verzoek van de melder (AVG art. 17)? Alleen de gecodeerde gegevens blijven voor de "
        "statistiek; een open casus wordt vandaag gesloten. Dit kan niet ongedaan worden gemaakt.",
        "Destroy the notes of case {code} and of all its contact moments now, at the melder's "
        "request (GDPR art. 17)? Only the coded fields stay, for the statistics; an open case "
        "is closed today. This cannot be undone.",
    ),
    "destroy_yes": ("Vernietigen", "Destroy"),
    "destroyed": (
        "De notities van casus {code} zijn vernietigd; de gecodeerde gegevens blijven.",
        "The notes of case {code} were destroyed; the coded fields stay.",
    ),
    "hold": (
        "Casus {code} heeft een bewaarplicht; hef die eerst op.",
        "Case {code} is on legal hold; lift the hold first.",
    ),
    "already": ("Casus {code} is al vernietigd.", "Case {code} was already destroyed."),
    "failed": (
        "Dat lukte niet; er is niets gewijzigd.",
        "That did not work; nothing was changed.",
    ),
}


def _refusal(case, lang: str) -> str | None:
    if case.destroyed:
        return pick(STRINGS, "already", lang, code=case.code)
    if case.legal_hold:
        return pick(STRINGS, "hold", lang, code=case.code)
    return None


def ask_delete(screen) -> None:
    """Ask, then delete ``screen.case``; the screen is closed afterwards."""
    case, lang, app = screen.case, screen.lang, screen.app
    if case is None:
        return
    if case.legal_hold:
        notify_safe(screen, Text(pick(STRINGS, "hold", lang, code=case.code)), severity="warning")
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        from vp_desk.services import erasure

        try:
            erasure.delete_case(app.desk, screen.org_id, screen.case_id)
        except VpDeskError:
            notify_safe(app, Text(pick(STRINGS, "failed", lang)), severity="error")
            return
        screen.case = None  # nothing left to show: no reload when the screen resumes
        if screen in app.screen_stack and len(app.screen_stack) > 1:
            while app.screen is not screen:
                app.pop_screen()
            app.pop_screen()
        notify_safe(app, Text(pick(STRINGS, "deleted", lang, code=case.code)))

    app.push_screen(
        ConfirmDialog(
            pick(STRINGS, "delete_question", lang, code=case.code),
            lang=lang,
            title=pick(STRINGS, "delete_title", lang),
            yes=pick(STRINGS, "delete_yes", lang),
            danger=True,
        ),
        answered,
    )


def ask_destroy(screen) -> None:
    """Ask, then destroy the notes of ``screen.case`` and show the tombstone."""
    case, lang, app = screen.case, screen.lang, screen.app
    if case is None:
        return
    refusal = _refusal(case, lang)
    if refusal:
        notify_safe(screen, Text(refusal), severity="warning")
        return

    def answered(yes: bool | None) -> None:
        if not yes:
            return
        from vp_desk.services import erasure

        try:
            erasure.destroy_on_request(app.desk, screen.org_id, screen.case_id, app.today)
        except VpDeskError:
            notify_safe(app, Text(pick(STRINGS, "failed", lang)), severity="error")
            return
        screen.reload()
        notify_safe(app, Text(pick(STRINGS, "destroyed", lang, code=case.code)))

    app.push_screen(
        ConfirmDialog(
            pick(STRINGS, "destroy_question", lang, code=case.code),
            lang=lang,
            title=pick(STRINGS, "destroy_title", lang),
            yes=pick(STRINGS, "destroy_yes", lang),
            danger=True,
        ),
        answered,
    )
