"""What the front ends (``cli``, ``tui``) need from storage, without importing ``vault``.

The UI and the command line reach the vault only through services (an
import-linter contract in pyproject.toml keeps it so). This module re-exports
the few storage names they need and holds the audit-trail view.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Any

from vp_desk.errors import DamagedFile
from vp_desk.vault.atomic import atomic_write
from vp_desk.vault.layout import INDEX_VAULT
from vp_desk.vault.store import DataFolder

if TYPE_CHECKING:
    from vp_desk.services.desk import Desk
    from vp_desk.vault.audit import AuditRow
    from vp_desk.vault.sqlcipher import Connection, DatabaseError, is_disk_full

#: Re-exported names whose modules load ``sqlcipher3`` load on first use: the app
#: needs ``DataFolder`` before the unlock screen, SQLCipher only after it (issue 13).
_LAZY = {
    "AuditRow": "vp_desk.vault.audit",
    "Connection": "vp_desk.vault.sqlcipher",
    "DatabaseError": "vp_desk.vault.sqlcipher",
    "is_disk_full": "vp_desk.vault.sqlcipher",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


__all__ = [
    "AuditRow",
    "atomic_write",
    "DataFolder",
    "DatabaseError",
    "Trail",
    "is_disk_full",
    "load_trails",
]

#: How many rows of one trail are shown (newest first); verification reads all.
SHOWN_ROWS = 1000


@dataclass(frozen=True)
class Trail:
    name: str | None  # organisation name; None for the index
    total: int
    rows: list[AuditRow]
    problems: list[str]
    readable: bool = True


def load_trails(desk: Desk, shown_rows: int = SHOWN_ROWS) -> list[Trail]:
    """Every trail with its newest rows and the result of verifying the whole chain."""
    from vp_desk.vault import audit
    from vp_desk.vault.sqlcipher import DatabaseError

    ring = desk.vault.ring
    sources: list[tuple[str | None, str, Callable[[], Connection]]] = [
        (None, INDEX_VAULT, lambda: desk.index)
    ]
    sources += [
        (org.name, org.vault_id, partial(desk.vault.org, org.vault_id))
        for org in desk.organisations()
    ]
    trails = []
    for name, vault_id, conn_of in sources:
        try:
            conn = conn_of()
            total = conn.execute("SELECT count(*) FROM audit").fetchone()[0]
            trails.append(
                Trail(
                    name,
                    total,
                    audit.rows(conn, shown_rows),
                    audit.verify(conn, ring.audit_key(vault_id)),
                )
            )
        except (DatabaseError, OSError, DamagedFile):
            # One unreadable vault shows as one unreadable row; the others still show.
            trails.append(Trail(name, 0, [], [], readable=False))
    return trails
