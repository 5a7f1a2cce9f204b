"""Adding or editing one contact moment of a case: date, minutes, channel, notes."""

from __future__ import annotations

from datetime import date
from typing import Any

from vp_desk.domain.models import MAX_CONSULTATION_NOTES, Consultation, ConsultationInput
from vp_desk.tui.i18n import pick
from vp_desk.tui.screens.form_base import RecordForm, register_draft_kind

DRAFT_KIND = "consultation_form"

STRINGS = {
    "new_title": ("Contactmoment toevoegen aan {code}", "Add a contact moment to {code}"),
    "edit_title": ("Contactmoment van {code} bewerken", "Edit a contact moment of {code}"),
    "date": ("Datum", "Date"),
    "minutes": ("Minuten (0-1440)", "Minutes (0-1440)"),
    "channel": ("Kanaal", "Channel"),
    "notes": ("Notities", "Notes"),
    "choose": ("(geen)", "(none)"),
    "save": ("Opslaan", "Save"),
    "cancel": ("Terug", "Back"),
}


class ConsultationFormScreen(RecordForm):
    """Dismisses with True once saved."""

    DRAFT_KIND = DRAFT_KIND
    MAX_NOTES = MAX_CONSULTATION_NOTES
    CHOICE = DIMENSION = "channel"
    STRINGS = STRINGS

    def __init__(
        self,
        org_id: int,
        case_id: int,
        consultation: Consultation | None = None,
        *,
        draft: dict | None = None,
        today: date | None = None,
    ) -> None:
        super().__init__(org_id, consultation, draft=draft, today=today)
        self.case_id = case_id
        #: The case code, read once while the desk is open: a lock takes the desk
        #: away before the draft of this form is made (``draft_identity``).
        self.code: str | None = None

    def heading(self) -> str:
        if self.code is None:
            self.code = self.app.unlocked_desk.get_case(self.org_id, self.case_id).code
        return pick(
            STRINGS, "edit_title" if self.record else "new_title", self.lang, code=self.code
        )

    def draft_identity(self) -> dict[str, Any]:
        return {
            "org_id": self.org_id,
            "case_id": self.case_id,
            "title": self.heading(),
            "consultation_id": self.record.id if self.record else None,
        }

    def store(self, values: dict[str, Any]) -> None:
        data = ConsultationInput(
            values["date"], values["minutes"], values["channel"], values["notes"]
        )
        if self.record is None:
            self.app.unlocked_desk.add_consultation(self.org_id, self.case_id, data)
        else:
            self.app.unlocked_desk.update_consultation(self.org_id, self.record.id, data)


def restore_draft(app, payload: dict) -> None:
    """Reopen the case with the unsaved contact moment on top of it."""
    from vp_desk.tui.screens.case_view import CaseViewScreen

    org_id, case_id = int(payload["org_id"]), int(payload["case_id"])
    wanted = payload.get("consultation_id")
    found = [c for c in app.desk.get_case(org_id, case_id).consultations if c.id == wanted]
    today = getattr(app, "fixed_today", None)
    app.push_screen(CaseViewScreen(org_id, case_id, today=today))
    app.push_screen(
        ConsultationFormScreen(
            org_id, case_id, found[0] if found else None, draft=payload, today=today
        )
    )


register_draft_kind(DRAFT_KIND, restore_draft, ("Contactmoment", "Contact moment"))
