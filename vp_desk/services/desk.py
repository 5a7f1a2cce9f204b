"""The desk: every use case the UI and the command line share.

A ``Desk`` wraps an unlocked ``Vault``. Every change runs in one transaction
on the vault it touches, together with its audit row. Nothing here imports
Textual or Rich.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from vp_desk.domain.models import (
    Activity,
    ActivityInput,
    Case,
    CaseData,
    CaseInput,
    CaseSummary,
    Consultation,
    ConsultationInput,
    Organisation,
    OrganisationInput,
    case_code,
    validate_activity,
    validate_case,
    validate_consultation,
    validate_organisation,
)
from vp_desk.errors import DamagedFile, NotFound, UsageError, ValidationError
from vp_desk.textsafe import clean_line
from vp_desk.vault import audit
from vp_desk.vault.keyfile import INDEX_VAULT, KdfParams, subject_key_for
from vp_desk.vault.sqlcipher import Connection, Cursor, DatabaseError, integrity_problems
from vp_desk.vault.store import DataFolder, Vault, org_file_name

MULTI_DIMENSIONS = ("behaviour", "help", "referrals")


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    last = [31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    return date(year, month, min(day.day, last))


@dataclass(frozen=True)
class CaseFilter:
    status: str | None = None  # "open" / "closed" / None
    year: int | None = None
    behaviour: str | None = None  # any of the case's behaviours
    search: str | None = None  # case code or notes (contact notes too)
    sort: str = "opened"  # "opened" (newest first) or "follow_up" (soonest first, h7-desk)


@dataclass
class AuditedTx:
    """An open transaction on one vault whose audit row is written at its end.

    ``subject`` may be set in the body when it is only known there (a new case's
    code, a count); the audit row commits or rolls back with the change.
    """

    conn: Connection
    subject: str
    org: Organisation | None = None


@dataclass(frozen=True)
class OrgStats:
    org: Organisation
    open_cases: int
    follow_ups_due: int
    past_retention: int
    minutes_this_month: int


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    kind: str  # opened / consultation / follow_up / closed
    minutes: int
    channel: str | None
    notes: str
    consultation_id: int | None = None


class Desk:
    def __init__(self, vault: Vault):
        self.vault = vault
        from vp_desk.services import leftovers  # h2-paths: crash leftovers go at open

        leftovers.clean_at_open(self)

    # -- opening ---------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str | None, passphrase: str, kdf: KdfParams | None = None) -> Desk:
        from vp_desk.services.leftovers import refuse_foreign_folder  # h2-paths

        folder = DataFolder(path)
        if not folder.is_initialised():
            refuse_foreign_folder(folder.path)
        return cls(folder.create(passphrase, kdf))

    @classmethod
    def open(cls, path: Path | str | None, passphrase: str) -> Desk:
        return cls(DataFolder(path).unlock(passphrase))

    def close(self) -> None:
        self.vault.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def index(self) -> Connection:
        return self.vault.index

    # -- key file and passphrase (the front ends never reach into ``desk.vault``) -----
    @property
    def recovered_key_file(self) -> bool:
        """True when the key file was damaged and its previous copy was used."""
        return self.vault.recovered_key_file

    def rewrite_key_file(self) -> None:
        """Write the key file again from the keys in memory (after a recovery)."""
        self.vault.folder.keyfile.write(self.vault.ring)

    # -- organisations ---------------------------------------------------------------
    def organisations(self) -> list[Organisation]:
        rows = self.index.execute(
            "SELECT id, vault_id, name, employees, threshold, retention_months, lang "
            "FROM organisations ORDER BY name COLLATE NOCASE, id"
        ).fetchall()
        return [Organisation(*r) for r in rows]

    def organisation(self, org_id: int) -> Organisation:
        row = self.index.execute(
            "SELECT id, vault_id, name, employees, threshold, retention_months, lang "
            "FROM organisations WHERE id = ?",
            (org_id,),
        ).fetchone()
        if row is None:
            raise NotFound(key="err_no_org_number", number=org_id)
        return Organisation(*row)

    def find_organisation(self, name_or_id: str) -> Organisation:
        """By exact name (case-insensitive), else by number."""
        wanted = clean_line(name_or_id).casefold()
        for org in self.organisations():
            if org.name.casefold() == wanted:
                return org
        if wanted.isdigit():
            return self.organisation(int(wanted))
        starts = [o for o in self.organisations() if o.name.casefold().startswith(wanted)]
        if len(starts) == 1 and wanted:
            return starts[0]
        raise NotFound(key="err_no_org_named")

    def add_organisation(self, data: OrganisationInput) -> Organisation:
        values = validate_organisation(data)
        self._check_unique_name(values["name"], None)
        vault_id = self.vault.create_org_vault()
        with self.index_tx("org.add") as tx:
            cur = self.index.execute(
                "INSERT INTO organisations(vault_id, name, employees, threshold, "
                "retention_months, lang, created) VALUES (?,?,?,?,?,?,?)",
                (
                    vault_id,
                    values["name"],
                    values["employees"],
                    values["threshold"],
                    values["retention_months"],
                    values["lang"],
                    _now(),
                ),
            )
            org_id = _rowid(cur)
            tx.subject = f"org {org_id}"
        return self.organisation(org_id)

    def update_organisation(self, org_id: int, data: OrganisationInput) -> Organisation:
        self.organisation(org_id)
        values = validate_organisation(data)
        self._check_unique_name(values["name"], org_id)
        with self.index_tx("org.update", f"org {org_id}"):
            self.index.execute(
                "UPDATE organisations SET name=?, employees=?, threshold=?, retention_months=?, "
                "lang=? WHERE id=?",
                (
                    values["name"],
                    values["employees"],
                    values["threshold"],
                    values["retention_months"],
                    values["lang"],
                    org_id,
                ),
            )
        return self.organisation(org_id)

    def _check_unique_name(self, name: str, org_id: int | None) -> None:
        for org in self.organisations():
            if org.name.casefold() == name.casefold() and org.id != org_id:
                raise ValidationError({"name": "duplicate_name"})

    def shred_organisation(self, org_id: int) -> None:
        """Erase for good: the key leaves the key file (the commit point), then
        every index row about it (ledger, drafts) and its files go. A crash
        part-way is finished at the next open; its number is never reused."""
        org = self.organisation(org_id)
        self.vault.shred_org_vault(org.vault_id)

    def change_passphrase(
        self, new_passphrase: str, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """New passphrase and a fresh data key for every vault (index and each
        organisation); ``progress(done, total)`` after each vault. All or
        nothing, finished at the next open after a crash (``Vault.change_passphrase``)."""
        self.vault.change_passphrase(new_passphrase, progress)

    def conn(self, org_id: int) -> Connection:
        return self.vault.org(self.organisation(org_id).vault_id)

    @contextmanager
    def org_tx(
        self,
        org_id: int | Organisation,
        event: str,
        subject: str | Callable[[Connection], str] = "",
    ) -> Iterator[AuditedTx]:
        """Organisation -> connection -> transaction -> audit row, as one block.

        A callable ``subject`` runs on the connection before the transaction opens
        (it reads the case's code and refuses a destroyed case). An organisation
        already looked up may be passed instead of its number.
        """
        org = org_id if isinstance(org_id, Organisation) else self.organisation(org_id)
        conn = self.vault.org(org.vault_id)
        tx = AuditedTx(conn, subject(conn) if callable(subject) else subject, org)
        with self.vault.transaction(conn):
            yield tx
            self._audit_org(org, event, tx.subject)

    @contextmanager
    def index_tx(self, event: str, subject: str = "") -> Iterator[AuditedTx]:
        """A transaction on the index vault that ends with its audit row."""
        tx = AuditedTx(self.index, subject)
        with self.vault.transaction(self.index):
            yield tx
            self._audit_index(event, tx.subject)

    def _audit_index(self, event: str, subject: str = "") -> None:
        self.vault.audit(self.index, INDEX_VAULT, event, subject)

    def _audit_org(self, org: Organisation, event: str, subject: str = "") -> None:
        self.vault.audit(self.vault.org(org.vault_id), org.vault_id, event, subject)

    def record_event(self, org_id: int | None, event: str, subject: str = "") -> None:
        """An audit row for an access event (export, report, backup)."""
        if org_id is None:
            with self.index_tx(event, subject):
                pass
        else:
            with self.org_tx(org_id, event, subject):
                pass

    # -- cases -----------------------------------------------------------------------
    def _insert_case(self, conn: Connection, data: CaseData) -> tuple[int, str]:
        year = data.opened.year
        seq = conn.execute(
            "SELECT coalesce(max(seq), 0) + 1 FROM cases WHERE year = ?", (year,)
        ).fetchone()[0]
        # h7-desk: the code of a case deleted by mistake is never handed out again.
        floor = conn.execute(
            "SELECT value FROM meta WHERE key = ?", (f"seq_floor:{year}",)
        ).fetchone()
        if floor is not None:
            seq = max(seq, int(floor[0]) + 1)
        code = case_code(year, seq)
        now = _now()
        cur = conn.execute(
            "INSERT INTO cases(code, year, seq, opened, closed, status, channel, contact_role, "
            "relation, primary_behaviour, outcome, follow_up, notes, created, updated) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                code,
                year,
                seq,
                data.opened.isoformat(),
                _iso(data.closed),
                data.status,
                data.channel,
                data.contact_role,
                data.relation,
                data.primary_behaviour,
                data.outcome,
                _iso(data.follow_up),
                data.notes,
                now,
                now,
            ),
        )
        case_id = _rowid(cur)
        self._write_values(conn, case_id, data)
        return case_id, code

    @staticmethod
    def _write_values(conn: Connection, case_id: int, data: CaseData) -> None:
        conn.execute("DELETE FROM case_values WHERE case_id = ?", (case_id,))
        rows = [(case_id, "behaviour", c) for c in data.behaviours]
        rows += [(case_id, "help", c) for c in data.help]
        rows += [(case_id, "referrals", c) for c in data.referrals]
        conn.executemany("INSERT INTO case_values(case_id, dimension, code) VALUES (?,?,?)", rows)

    def create_case(
        self,
        org_id: int,
        data: CaseInput | CaseData,
        first_contact: ConsultationInput | None = None,
    ) -> Case:
        """A new case; with ``first_contact`` its first contact moment too, in the same
        transaction (the minutes of the first conversation, typed on the case form)."""
        clean = data if isinstance(data, CaseData) else validate_case(data)
        contact = validate_consultation(first_contact) if first_contact is not None else None
        with self.org_tx(org_id, "case.create") as tx:
            case_id, tx.subject = self._insert_case(tx.conn, clean)
            if contact is not None:
                tx.conn.execute(
                    "INSERT INTO consultations(case_id, date, minutes, channel, notes, created) "
                    "VALUES (?,?,?,?,?,?)",
                    (
                        case_id,
                        contact["date"].isoformat(),
                        contact["minutes"],
                        contact["channel"],
                        contact["notes"],
                        _now(),
                    ),
                )
        return self.get_case(org_id, case_id)

    def insert_cases(
        self,
        org_id: int,
        items: Iterable[tuple[CaseData, Sequence[dict[str, Any]]]],
        *,
        event: str = "import",
        progress: Callable[[int], object] | None = None,
    ) -> list[str]:
        """Insert many validated cases with their contact moments in ONE transaction.

        All or nothing: if anything fails (or the process dies) nothing is kept.
        ``progress`` is called with the number of cases written so far.
        """
        codes: list[str] = []
        with self.org_tx(org_id, event) as tx:
            for n, (data, consultations) in enumerate(items, 1):
                case_id, code = self._insert_case(tx.conn, data)
                tx.conn.executemany(
                    "INSERT INTO consultations(case_id, date, minutes, channel, notes, created) "
                    "VALUES (?,?,?,?,?,?)",
                    [
                        (
                            case_id,
                            c["date"].isoformat(),
                            c["minutes"],
                            c.get("channel"),
                            c.get("notes", ""),
                            _now(),
                        )
                        for c in consultations
                    ],
                )
                codes.append(code)
                if progress is not None:
                    progress(n)
            tx.subject = f"{len(codes)} cases"
        return codes

    def update_case(self, org_id: int, case_id: int, data: CaseInput | CaseData) -> Case:
        clean = data if isinstance(data, CaseData) else validate_case(data)
        self._check_closed_after_contacts(org_id, case_id, clean.closed)
        with self.org_tx(org_id, "case.update", partial(self._code, case_id=case_id)) as tx:
            tx.conn.execute(
                "UPDATE cases SET opened=?, closed=?, status=?, channel=?, contact_role=?, "
                "relation=?, primary_behaviour=?, outcome=?, follow_up=?, notes=?, updated=? "
                "WHERE id=?",
                (
                    clean.opened.isoformat(),
                    _iso(clean.closed),
                    clean.status,
                    clean.channel,
                    clean.contact_role,
                    clean.relation,
                    clean.primary_behaviour,
                    clean.outcome,
                    _iso(clean.follow_up),
                    clean.notes,
                    _now(),
                    case_id,
                ),
            )
            self._write_values(tx.conn, case_id, clean)
        return self.get_case(org_id, case_id)

    def close_case(self, org_id: int, case_id: int, closed: object, outcome: object) -> Case:
        case = self.get_case(org_id, case_id)
        data = case.to_input()
        data.closed = closed
        data.outcome = outcome
        data.follow_up = None
        clean = validate_case(data)
        if clean.closed is None:
            raise ValidationError({"closed": "required"})
        self._check_closed_after_contacts(org_id, case_id, clean.closed, case)
        return self._set_and_audit(org_id, case_id, clean, "case.close")

    def _check_closed_after_contacts(
        self, org_id: int, case_id: int, closed: date | None, case: Case | None = None
    ) -> None:
        """A case cannot close before its last contact moment (issue 13)."""
        if closed is None:
            return
        case = case or self.get_case(org_id, case_id)
        last = max((c.date for c in case.consultations), default=None)
        if last is not None and closed < last:
            raise ValidationError({"closed": "closed_before_contact"})

    def reopen_case(self, org_id: int, case_id: int) -> Case:
        """Open again: the closing date and the outcome of the closing both go."""
        case = self.get_case(org_id, case_id)
        data = case.to_input()
        data.closed = None
        data.outcome = None
        return self._set_and_audit(org_id, case_id, validate_case(data), "case.reopen")

    def _set_and_audit(self, org_id: int, case_id: int, clean: CaseData, event: str) -> Case:
        with self.org_tx(org_id, event, partial(self._code, case_id=case_id)) as tx:
            tx.conn.execute(
                "UPDATE cases SET closed=?, status=?, outcome=?, follow_up=?, updated=? WHERE id=?",
                (
                    _iso(clean.closed),
                    clean.status,
                    clean.outcome,
                    _iso(clean.follow_up),
                    _now(),
                    case_id,
                ),
            )
        return self.get_case(org_id, case_id)

    @staticmethod
    def _code(conn: Connection, case_id: int) -> str:
        """The code of a case about to change; a destroyed case (a tombstone) cannot."""
        row = conn.execute("SELECT code, destroyed FROM cases WHERE id = ?", (case_id,)).fetchone()
        if row is None:
            raise NotFound(key="err_no_case")
        if row[1]:
            raise UsageError(key="err_case_destroyed", code=row[0])
        return str(row[0])

    @classmethod
    def _consultation_case(cls, conn: Connection, consultation_id: int) -> str:
        row = conn.execute(
            "SELECT case_id FROM consultations WHERE id = ?", (consultation_id,)
        ).fetchone()
        if row is None:
            raise NotFound(key="err_no_contact")
        return cls._code(conn, row[0])

    def get_case(self, org_id: int, case_id: int) -> Case:
        conn = self.conn(org_id)
        row = conn.execute(
            "SELECT id, code, opened, closed, status, primary_behaviour, channel, contact_role, "
            "relation, outcome, follow_up, notes, legal_hold, hold_reason, destroyed "
            "FROM cases WHERE id = ?",
            (case_id,),
        ).fetchone()
        if row is None:
            raise NotFound(key="err_no_case")
        values: dict[str, list[str]] = {d: [] for d in MULTI_DIMENSIONS}
        for dim, code in conn.execute(
            "SELECT dimension, code FROM case_values WHERE case_id = ? ORDER BY dimension, code",
            (case_id,),
        ):
            values.setdefault(dim, []).append(code)
        primary = row[5]
        behaviours = values["behaviour"]
        if primary in behaviours:
            behaviours = [primary] + [b for b in behaviours if b != primary]
        consultations = tuple(
            Consultation(r[0], case_id, date.fromisoformat(r[1]), r[2], r[3], r[4])
            for r in conn.execute(
                "SELECT id, date, minutes, channel, notes FROM consultations "
                "WHERE case_id = ? ORDER BY date, id",
                (case_id,),
            )
        )
        return Case(
            id=row[0],
            code=row[1],
            opened=date.fromisoformat(row[2]),
            closed=_d(row[3]),
            status=row[4],
            behaviours=tuple(behaviours),
            primary_behaviour=primary,
            channel=row[6],
            contact_role=row[7],
            relation=row[8],
            help=tuple(values["help"]),
            referrals=tuple(values["referrals"]),
            outcome=row[9],
            follow_up=_d(row[10]),
            notes=row[11],
            legal_hold=bool(row[12]),
            hold_reason=row[13],
            destroyed=_d(row[14]),
            consultations=consultations,
        )

    def find_case(self, org_id: int, code: str) -> Case:
        row = (
            self.conn(org_id)
            .execute("SELECT id FROM cases WHERE code = ?", (code.strip(),))
            .fetchone()
        )
        if row is None:
            raise NotFound(key="err_no_case_code", code=clean_line(code)[:20])
        return self.get_case(org_id, row[0])

    def _where(self, flt: CaseFilter) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        if flt.status:
            clauses.append("c.status = ?")
            params.append(flt.status)
        if flt.year:
            clauses.append("c.year = ?")
            params.append(int(flt.year))
        if flt.behaviour:
            clauses.append(
                "EXISTS (SELECT 1 FROM case_values v WHERE v.case_id = c.id "
                "AND v.dimension = 'behaviour' AND v.code = ?)"
            )
            params.append(flt.behaviour)
        if flt.search and flt.search.strip():
            needle = (
                "%"
                + flt.search.strip().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                + "%"
            )
            clauses.append(
                "(c.code LIKE ? ESCAPE '\\' OR c.notes LIKE ? ESCAPE '\\' OR EXISTS "
                "(SELECT 1 FROM consultations k WHERE k.case_id = c.id AND k.notes "
                "LIKE ? ESCAPE '\\'))"
            )
            params += [needle, needle, needle]
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        return where, params

    def list_cases(
        self,
        org_id: int,
        flt: CaseFilter | None = None,
        *,
        limit: int | None = None,
        offset: int = 0,
    ) -> list[CaseSummary]:
        """Case rows, newest first; paged with ``limit``/``offset``."""
        where, params = self._where(flt or CaseFilter())
        sql = (
            "SELECT c.id, c.code, c.opened, c.closed, c.status, c.primary_behaviour, "
            "c.follow_up, c.legal_hold, c.destroyed IS NOT NULL FROM cases c"
            + where
            + (
                " ORDER BY c.follow_up IS NULL, c.follow_up, c.opened DESC, c.id DESC"
                if flt is not None and flt.sort == "follow_up"
                else " ORDER BY c.opened DESC, c.id DESC"
            )
        )
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = params + [int(limit), int(offset)]
        return [
            CaseSummary(
                r[0],
                r[1],
                date.fromisoformat(r[2]),
                _d(r[3]),
                r[4],
                r[5],
                _d(r[6]),
                bool(r[7]),
                bool(r[8]),
            )
            for r in self.conn(org_id).execute(sql, params)
        ]

    def count_cases(self, org_id: int, flt: CaseFilter | None = None) -> int:
        where, params = self._where(flt or CaseFilter())
        return int(
            self.conn(org_id).execute(f"SELECT count(*) FROM cases c{where}", params).fetchone()[0]
        )

    def case_years(self, org_id: int) -> list[int]:
        return [
            r[0]
            for r in self.conn(org_id).execute("SELECT DISTINCT year FROM cases ORDER BY year DESC")
        ]

    # -- contact moments -----------------------------------------------------------------
    def add_consultation(self, org_id: int, case_id: int, data: ConsultationInput) -> Consultation:
        values = validate_consultation(data)
        code_of = partial(self._code, case_id=case_id)
        with self.org_tx(org_id, "consultation.add", code_of) as tx:
            cur = tx.conn.execute(
                "INSERT INTO consultations(case_id, date, minutes, channel, notes, created) "
                "VALUES (?,?,?,?,?,?)",
                (
                    case_id,
                    values["date"].isoformat(),
                    values["minutes"],
                    values["channel"],
                    values["notes"],
                    _now(),
                ),
            )
        return Consultation(
            _rowid(cur),
            case_id,
            values["date"],
            values["minutes"],
            values["channel"],
            values["notes"],
        )

    def update_consultation(
        self, org_id: int, consultation_id: int, data: ConsultationInput
    ) -> None:
        values = validate_consultation(data)

        def checked(conn: Connection) -> str:
            self._consultation_case(conn, consultation_id)
            return f"contact {consultation_id}"

        with self.org_tx(org_id, "consultation.update", checked) as tx:
            cur = tx.conn.execute(
                "UPDATE consultations SET date=?, minutes=?, channel=?, notes=? WHERE id=?",
                (
                    values["date"].isoformat(),
                    values["minutes"],
                    values["channel"],
                    values["notes"],
                    consultation_id,
                ),
            )
            if cur.rowcount != 1:
                raise NotFound(key="err_no_contact")

    def delete_consultation(self, org_id: int, consultation_id: int) -> None:
        with self.org_tx(org_id, "consultation.delete", f"contact {consultation_id}") as tx:
            tx.conn.execute("DELETE FROM consultations WHERE id = ?", (consultation_id,))

    def timeline(self, org_id: int, case_id: int) -> list[TimelineEntry]:
        case = self.get_case(org_id, case_id)
        entries = [TimelineEntry(case.opened, "opened", 0, case.channel, "")]
        entries += [
            TimelineEntry(c.date, "consultation", c.minutes, c.channel, c.notes, c.id)
            for c in case.consultations
        ]
        if case.follow_up:
            entries.append(TimelineEntry(case.follow_up, "follow_up", 0, None, ""))
        if case.closed:
            entries.append(TimelineEntry(case.closed, "closed", 0, None, ""))
        order = {"opened": 0, "consultation": 1, "follow_up": 2, "closed": 3}
        return sorted(entries, key=lambda e: (e.date, order[e.kind]))

    # -- repeat-subject signal ---------------------------------------------------------------
    def subject_key(self, org: Organisation) -> bytes:
        """The repeat-subject HMAC key. Derived from the data key, unless the
        vault carries its own (kept in ``meta`` when a hand-over re-keyed it,
        so hashes made before still match names typed after)."""
        row = (
            self.vault.org(org.vault_id)
            .execute("SELECT value FROM meta WHERE key = 'subject_key'")
            .fetchone()
        )
        if row:
            return bytes.fromhex(row[0])
        return subject_key_for(self.vault.ring.keys[org.vault_id])

    def _subject_hash(self, org: Organisation, name: str) -> str:
        key = self.subject_key(org)
        norm = unicodedata.normalize("NFKD", clean_line(name).casefold())
        norm = " ".join("".join(ch for ch in norm if not unicodedata.combining(ch)).split())
        return hmac.new(key, norm.encode(), hashlib.sha256).hexdigest()

    def set_subject(self, org_id: int, case_id: int, name: str | None) -> None:
        """Store only a keyed hash of the name (or clear it with None / "")."""
        with self.org_tx(org_id, "case.subject", partial(self._code, case_id=case_id)) as tx:
            tx.conn.execute("DELETE FROM subject_hashes WHERE case_id = ?", (case_id,))
            if name and clean_line(name):
                assert tx.org is not None
                tx.conn.execute(
                    "INSERT INTO subject_hashes(case_id, hash) VALUES (?, ?)",
                    (case_id, self._subject_hash(tx.org, name)),
                )

    def has_subject(self, org_id: int, case_id: int) -> bool:
        return (
            self.conn(org_id)
            .execute("SELECT 1 FROM subject_hashes WHERE case_id = ?", (case_id,))
            .fetchone()
            is not None
        )

    def repeat_subject_count(self, org_id: int, case_id: int) -> int:
        """How many OTHER cases of this organisation concern the same person."""
        return int(
            self.conn(org_id)
            .execute(
                "SELECT count(*) FROM subject_hashes s JOIN subject_hashes me "
                "ON me.hash = s.hash AND me.case_id = ? WHERE s.case_id != ?",
                (case_id, case_id),
            )
            .fetchone()[0]
        )

    # -- activities --------------------------------------------------------------------------
    def add_activity(self, org_id: int, data: ActivityInput) -> Activity:
        values = validate_activity(data)
        with self.org_tx(org_id, "activity.add") as tx:
            cur = tx.conn.execute(
                "INSERT INTO activities(date, kind, minutes, notes) VALUES (?,?,?,?)",
                (values["date"].isoformat(), values["kind"], values["minutes"], values["notes"]),
            )
            tx.subject = f"activity {cur.lastrowid}"
        return Activity(
            _rowid(cur), values["date"], values["kind"], values["minutes"], values["notes"]
        )

    def insert_activities(
        self, org_id: int, items: Iterable[ActivityInput], *, event: str = "activity.import"
    ) -> int:
        """Insert many activities in ONE transaction (all or nothing); returns how many."""
        values = [validate_activity(a) for a in items]
        with self.org_tx(org_id, event, f"{len(values)} activities") as tx:
            tx.conn.executemany(
                "INSERT INTO activities(date, kind, minutes, notes) VALUES (?,?,?,?)",
                [(v["date"].isoformat(), v["kind"], v["minutes"], v["notes"]) for v in values],
            )
        return len(values)

    def update_activity(self, org_id: int, activity_id: int, data: ActivityInput) -> None:
        values = validate_activity(data)
        with self.org_tx(org_id, "activity.update", f"activity {activity_id}") as tx:
            cur = tx.conn.execute(
                "UPDATE activities SET date=?, kind=?, minutes=?, notes=? WHERE id=?",
                (
                    values["date"].isoformat(),
                    values["kind"],
                    values["minutes"],
                    values["notes"],
                    activity_id,
                ),
            )
            if cur.rowcount != 1:
                raise NotFound(key="err_no_activity")

    def delete_activity(self, org_id: int, activity_id: int) -> None:
        with self.org_tx(org_id, "activity.delete", f"activity {activity_id}") as tx:
            tx.conn.execute("DELETE FROM activities WHERE id = ?", (activity_id,))

    def list_activities(
        self, org_id: int, *, start: date | None = None, end: date | None = None
    ) -> list[Activity]:
        sql = "SELECT id, date, kind, minutes, notes FROM activities"
        clauses, params = [], []
        if start:
            clauses.append("date >= ?")
            params.append(start.isoformat())
        if end:
            clauses.append("date <= ?")
            params.append(end.isoformat())
        if clauses:
            sql += " WHERE " + " AND ".join(clauses)
        sql += " ORDER BY date DESC, id DESC"
        return [
            Activity(r[0], date.fromisoformat(r[1]), r[2], r[3], r[4])
            for r in self.conn(org_id).execute(sql, params)
        ]

    # -- dashboard ---------------------------------------------------------------------------
    def org_stats(self, org: Organisation, today: date | None = None) -> OrgStats:
        today = today or date.today()
        conn = self.vault.org(org.vault_id)
        week_end = today + timedelta(days=6 - today.weekday())
        month_start = today.replace(day=1).isoformat()
        # Closed on or before this date means past retention today.
        cutoff = add_months(today, -org.retention_months).isoformat()
        # Three counts, each answered from a covering index (migration 3): a
        # scan of the cases table would decrypt every page of it.
        open_cases = conn.execute("SELECT count(*) FROM cases WHERE status = 'open'").fetchone()[0]
        due = conn.execute(
            "SELECT count(*) FROM cases WHERE status = 'open' AND follow_up <= ?",
            (week_end.isoformat(),),
        ).fetchone()[0]
        past = conn.execute(
            "SELECT count(*) FROM cases WHERE status = 'closed' AND legal_hold = 0 "
            "AND destroyed IS NULL AND closed <= ?",
            (cutoff,),
        ).fetchone()[0]
        minutes = conn.execute(
            "SELECT (SELECT coalesce(sum(minutes), 0) FROM consultations WHERE date >= ?) + "
            "(SELECT coalesce(sum(minutes), 0) FROM activities WHERE date >= ?)",
            (month_start, month_start),
        ).fetchone()[0]
        return OrgStats(org, open_cases or 0, due or 0, past or 0, minutes or 0)

    def dashboard(self, today: date | None = None) -> list[OrgStats]:
        return [self.org_stats(org, today) for org in self.organisations()]

    def open_case_count(self, org_id: int) -> int:
        return int(
            self.conn(org_id)
            .execute("SELECT count(*) FROM cases WHERE status = 'open'")
            .fetchone()[0]
        )

    # -- settings and drafts ---------------------------------------------------------------
    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.index.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row else default

    def set_setting(self, key: str, value: str, *, audit: bool = True) -> None:
        """Store a setting; ``audit=False`` for a mere preference of the screen (the
        organisation chosen last), which would only flood the audit trail."""
        with self.vault.transaction(self.index):
            self.index.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)", (key, str(value))
            )
            if audit:
                self._audit_index("settings.change", key)

    def save_draft(self, draft_id: str, payload: dict[str, Any]) -> None:
        """Keep an unsaved form inside the (encrypted) index vault."""
        with self.vault.transaction(self.index):
            self.index.execute(
                "INSERT OR REPLACE INTO drafts(id, payload, saved) VALUES (?,?,?)",
                (draft_id, json.dumps(payload, default=str), _now()),
            )

    def drafts(self) -> dict[str, dict[str, Any]]:
        return {
            r[0]: json.loads(r[1])
            for r in self.index.execute("SELECT id, payload FROM drafts ORDER BY saved")
        }

    def delete_draft(self, draft_id: str) -> None:
        with self.vault.transaction(self.index):
            self.index.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    # -- checks --------------------------------------------------------------------------------
    def verify(self) -> list[str]:
        """Integrity, cipher integrity and audit chain of every vault; empty when clean.

        Each problem is a ``vp_desk.i18n.Message``: English as a ``str``, any
        language with ``in_lang(problem, lang)``. SQLite's own findings are
        quoted as SQLite writes them (in English).
        """
        from vp_desk.i18n import message

        problems: list[str] = []
        checks: list[tuple[str, str, Callable[[], Connection]]] = [
            (message("part_index"), INDEX_VAULT, lambda: self.index)
        ]
        for org in self.organisations():
            checks.append(
                (
                    message("part_org_vault", number=org.id, file=org_file_name(org.vault_id)),
                    org.vault_id,
                    partial(self.vault.org, org.vault_id),
                )
            )
        for part, vault_id, get_conn in checks:
            try:
                conn = get_conn()
                problems += [
                    message("verify_in_part", part=part, problem=p)
                    for p in integrity_problems(conn)
                ]
                problems += [
                    message("verify_in_part", part=part, problem=p)
                    for p in audit.verify(conn, self.vault.ring.audit_key(vault_id))
                ]
            except DamagedFile as exc:
                said = message(exc.key, **exc.params) if exc.key else str(exc)
                problems.append(message("verify_in_part", part=part, problem=said))
            except DatabaseError:
                problems.append(
                    message("verify_in_part", part=part, problem=message("verify_page"))
                )
        known = {o.vault_id for o in self.organisations()}
        for vault_id in self.vault.org_vault_ids():
            if vault_id not in known:
                problems.append(message("verify_orphan_key", vault=vault_id))
        problems += self._verify_rollback()
        from vp_desk.services import leftovers

        problems += leftovers.findings(self)
        return problems

    def _verify_rollback(self) -> list[str]:
        """Rollback checks beyond the ones at open: every vault against its
        recorded epoch and, if it was closed cleanly and not written since,
        the digest of its file (a single spliced page; docs/threat-model.md)."""
        from vp_desk.vault.store import check_epoch, sealed_digest_problem, vault_file_name

        problems: list[str] = []
        ring = self.vault.ring
        for vault_id in [INDEX_VAULT, *self.vault.org_vault_ids()]:
            try:
                conn = self.index if vault_id == INDEX_VAULT else self.vault.org(vault_id)
                check_epoch(conn, ring, vault_id)
                problem = sealed_digest_problem(
                    conn, ring, vault_id, self.vault.path / vault_file_name(vault_id)
                )
            except (DamagedFile, DatabaseError, OSError):
                continue  # a vault that does not open is reported by the checks above
            if problem:
                from vp_desk.i18n import message

                problems.append(message("verify_rollback", problem=problem))
        return problems


def _rowid(cur: Cursor) -> int:
    """The id an INSERT just gave its row (always set after an INSERT)."""
    assert cur.lastrowid is not None
    return cur.lastrowid


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None
