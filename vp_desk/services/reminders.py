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

from vp_desk.i18n import Message, Text, register
from vp_desk.services import backup
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT

BACKUP_DAYS = 7


#: What the reminders say (vp_desk/i18n.py).
TEXTS: dict[str, tuple[Text, Text]] = {
    "audit": (
        "De audittrail van {vault} klopt niet: een regel is gewijzigd, verwijderd of "
        "verplaatst ({problem}). Voer 'vp-desk verify' uit en zet zo nodig een backup terug.",
        "The audit trail of {vault} is broken ({problem}). Run 'vp-desk verify' and restore "
        "a backup if needed.",
    ),
    "vault_index": ("de index", "the index"),
    "vault_org": ("organisatie {name}", "organisation {name}"),
    "retention": (
        {
            "one": "{count} dossier is over de bewaartermijn ({detail}). Beoordeel het bij "
            "Bewaartermijnen: vernietigen of bewaarplicht.",
            "other": "{count} dossiers zijn over de bewaartermijn ({detail}). Beoordeel ze bij "
            "Bewaartermijnen: vernietigen of bewaarplicht.",
        },
        {
            "one": "{count} case is past the retention period ({detail}). Review it under "
            "Retention: destroy or put on hold.",
            "other": "{count} cases are past the retention period ({detail}). Review them "
            "under Retention: destroy or put on hold.",
        },
    ),
    "backup_never": (
        "Er is nog nooit een backup gemaakt. Maak er een op een andere schijf: "
        "ctrl+p, 'Backup maken'.",
        "No backup has been made yet. Make one on another disk: ctrl+p, 'Make a backup'.",
    ),
    "backup_old": (
        "De laatste backup is {days} dagen oud. Maak een nieuwe: ctrl+p, 'Backup maken'.",
        "The last backup is {days} days old. Make a new one: ctrl+p, 'Make a backup'.",
    ),
}
register("vp_desk.services.reminders", TEXTS)


def _text(key: str, /, **params: object) -> Message:
    return Message("vp_desk.services.reminders", key, **params)


@dataclass(frozen=True)
class Reminder:
    kind: str  # "audit" / "retention" / "backup"
    message: Message

    def text(self, lang: str) -> str:
        return self.message.text(lang)

    @property
    def nl(self) -> str:
        return self.text("nl")

    @property
    def en(self) -> str:
        return self.text("en")


def audit_problems(desk: Desk) -> list[tuple[Message, str]]:
    """(vault label, problem) for every broken chain (both translatable)."""
    ring = desk.vault.ring
    found = []
    checks = [(_text("vault_index"), desk.index, INDEX_VAULT)]
    for org in desk.organisations():
        checks.append(
            (_text("vault_org", name=org.name), desk.vault.org(org.vault_id), org.vault_id)
        )
    for label, conn, vault_id in checks:
        for problem in audit.verify(conn, ring.audit_key(vault_id)):
            found.append((label, problem))
    return found


def unlock_reminders(desk: Desk, today: date | None = None) -> list[Reminder]:
    today = today or date.today()
    reminders: list[Reminder] = []
    for label, problem in audit_problems(desk):
        reminders.append(Reminder("audit", _text("audit", vault=label, problem=problem)))
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
        reminders.append(Reminder("retention", _text("retention", count=n, detail=detail)))
    last = backup.last_backup(desk)
    if last is None:
        reminders.append(Reminder("backup", _text("backup_never")))
    else:
        if last.tzinfo is None:
            last = last.replace(tzinfo=UTC)
        days = (today - last.astimezone(UTC).date()).days
        if days > BACKUP_DAYS:
            reminders.append(Reminder("backup", _text("backup_old", days=days)))
    return reminders
