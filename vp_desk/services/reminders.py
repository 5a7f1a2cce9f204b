"""What the desk tells the VP right after unlocking (docs/en/daily-use.md, "The overview").

- a broken audit trail (a row changed, removed or moved) in any vault;
- cases past their retention period (and not on hold);
- no backup in the last 7 days, or never.

Only counts and organisation names; never case content.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk

from dataclasses import dataclass
from datetime import UTC, date

from vp_desk.services import backup
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT

BACKUP_DAYS = 7


@dataclass(frozen=True)
class Reminder:
    kind: str  # "audit" / "retention" / "backup"
    nl: str
    en: str

    def text(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def audit_problems(desk: Desk) -> list[tuple[str, str, str]]:
    """(vault label nl, vault label en, problem) for every broken chain."""
    ring = desk.vault.ring
    found = []
    checks = [("de index", "the index", desk.index, INDEX_VAULT)]
    for org in desk.organisations():
        checks.append(
            (
                f"organisatie {org.name}",
                f"organisation {org.name}",
                desk.vault.org(org.vault_id),
                org.vault_id,
            )
        )
    for nl, en, conn, vault_id in checks:
        for problem in audit.verify(conn, ring.audit_key(vault_id)):
            found.append((nl, en, problem))
    return found


def unlock_reminders(desk: Desk, today: date | None = None) -> list[Reminder]:
    today = today or date.today()
    reminders: list[Reminder] = []
    for nl, en, problem in audit_problems(desk):
        reminders.append(
            Reminder(
                "audit",
                f"De audittrail van {nl} klopt niet: een regel is gewijzigd, verwijderd of "
                f"verplaatst ({problem}). Voer 'vp-desk verify' uit en zet zo nodig een backup terug.",
                f"The audit trail of {en} is broken ({problem}). Run 'vp-desk verify' and restore "
                "a backup if needed.",
            )
        )
    # Counted from an index (Desk.org_stats, the rule of retention.due_cases):
    # listing every closed case here held up the first dashboard frame.
    per_org = {
        org.name: past
        for org in desk.organisations()
        if (past := desk.org_stats(org, today).past_retention)
    }
    if per_org:
        detail = ", ".join(f"{name}: {n}" for name, n in per_org.items())
        n = sum(per_org.values())
        reminders.append(
            Reminder(
                "retention",
                f"{n} {'dossier is' if n == 1 else 'dossiers zijn'} over de bewaartermijn "
                f"({detail}). Beoordeel ze bij Bewaartermijnen: vernietigen of bewaarplicht.",
                f"{n} {'case is' if n == 1 else 'cases are'} past the retention period "
                f"({detail}). Review them under Retention: destroy or put on hold.",
            )
        )
    last = backup.last_backup(desk)
    if last is None:
        reminders.append(
            Reminder(
                "backup",
                "Er is nog nooit een backup gemaakt. Maak er een op een andere schijf: "
                "ctrl+p, 'Backup maken'.",
                "No backup has been made yet. Make one on another disk: ctrl+p, 'Make a backup'.",
            )
        )
    else:
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        days = (today - last.astimezone(UTC).date()).days
        if days > BACKUP_DAYS:
            reminders.append(
                Reminder(
                    "backup",
                    f"De laatste backup is {days} dagen oud. Maak een nieuwe: "
                    "ctrl+p, 'Backup maken'.",
                    f"The last backup is {days} days old. Make a new one: ctrl+p, 'Make a backup'.",
                )
            )
    return reminders
