"""Versioned schema migrations for the two kinds of vault.

``PRAGMA user_version`` holds the schema version. Each step runs in one
transaction, so a crash mid-upgrade leaves the previous version intact. Add a
step by appending to the list; never edit a step that has shipped.
"""

from __future__ import annotations

import sqlite3

from vp_desk.errors import NewerSchema
from vp_desk.vault.sqlcipher import Connection

INDEX_MIGRATIONS: list[str] = [
    # 1: organisations, settings, audit trail
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE organisations (
        id INTEGER PRIMARY KEY,
        vault_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        employees INTEGER NOT NULL DEFAULT 0,
        threshold INTEGER NOT NULL DEFAULT 5,
        retention_months INTEGER NOT NULL DEFAULT 12,
        lang TEXT NOT NULL DEFAULT 'nl',
        created TEXT NOT NULL
    );
    CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
                        subject TEXT NOT NULL, prev_tag TEXT NOT NULL, tag TEXT NOT NULL);
    """,
    # 2: drafts kept over a lock, ledger of finalised reports
    """
    CREATE TABLE drafts (id TEXT PRIMARY KEY, payload TEXT NOT NULL, saved TEXT NOT NULL);
    CREATE TABLE report_ledger (
        id INTEGER PRIMARY KEY,
        org_id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        issued TEXT NOT NULL,
        figures TEXT NOT NULL,
        digest TEXT NOT NULL
    );
    CREATE INDEX report_ledger_org_year ON report_ledger(org_id, year);
    """,
    # 3 (h1-rekey): organisation numbers are never reused (AUTOINCREMENT),
    #    counting from the highest number any row ever used, and ledger rows
    #    of organisations shredded before are erased (docs/threat-model.md)
    """
    CREATE TABLE organisations_new (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        vault_id TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL,
        employees INTEGER NOT NULL DEFAULT 0,
        threshold INTEGER NOT NULL DEFAULT 5,
        retention_months INTEGER NOT NULL DEFAULT 12,
        lang TEXT NOT NULL DEFAULT 'nl',
        created TEXT NOT NULL
    );
    INSERT INTO organisations_new(id, vault_id, name, employees, threshold, retention_months,
                                  lang, created)
        SELECT id, vault_id, name, employees, threshold, retention_months, lang, created
        FROM organisations;
    DROP TABLE organisations;
    ALTER TABLE organisations_new RENAME TO organisations;
    DELETE FROM sqlite_sequence WHERE name = 'organisations';
    INSERT INTO sqlite_sequence(name, seq) VALUES ('organisations', max(
        coalesce((SELECT max(id) FROM organisations), 0),
        coalesce((SELECT max(org_id) FROM report_ledger), 0)));
    DELETE FROM report_ledger WHERE org_id NOT IN (SELECT id FROM organisations);
    """,
    # 4 (h4-ledger): every written report is in the ledger (drafts too), and the
    # invoice specifications; existing rows were final reports
    """
    ALTER TABLE report_ledger ADD COLUMN kind TEXT NOT NULL DEFAULT 'report';
    ALTER TABLE report_ledger ADD COLUMN final INTEGER NOT NULL DEFAULT 1;
    ALTER TABLE report_ledger ADD COLUMN format TEXT NOT NULL DEFAULT '';
    """,
    # 5 (h7-desk): each organisation's appointment terms (aanstellingsbrief)
    """
    CREATE TABLE org_terms (
        org_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
        start_date TEXT,
        end_date TEXT,
        agreed_hours INTEGER,
        kind TEXT
    );
    """,
]

ORG_MIGRATIONS: list[str] = [
    # 1: cases, their multi-valued fields, contact moments, activities
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE cases (
        id INTEGER PRIMARY KEY,
        code TEXT NOT NULL UNIQUE,
        year INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        opened TEXT NOT NULL,
        closed TEXT,
        status TEXT NOT NULL,
        channel TEXT,
        contact_role TEXT,
        relation TEXT,
        primary_behaviour TEXT,
        outcome TEXT,
        follow_up TEXT,
        notes TEXT NOT NULL DEFAULT '',
        created TEXT NOT NULL,
        updated TEXT NOT NULL,
        UNIQUE (year, seq)
    );
    CREATE TABLE case_values (
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,
        code TEXT NOT NULL,
        PRIMARY KEY (case_id, dimension, code)
    ) WITHOUT ROWID;
    CREATE TABLE consultations (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        channel TEXT,
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
                        subject TEXT NOT NULL, prev_tag TEXT NOT NULL, tag TEXT NOT NULL);
    CREATE INDEX consultations_case ON consultations(case_id);
    """,
    # 2: retention (legal hold, tombstones, destruction log), repeat-subject
    #    hashes, report free text, indexes for the case list and reports
    """
    ALTER TABLE cases ADD COLUMN legal_hold INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE cases ADD COLUMN hold_reason TEXT NOT NULL DEFAULT '';
    ALTER TABLE cases ADD COLUMN destroyed TEXT;
    ALTER TABLE consultations ADD COLUMN created TEXT;
    CREATE TABLE subject_hashes (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        hash TEXT NOT NULL
    );
    CREATE INDEX subject_hashes_hash ON subject_hashes(hash);
    CREATE TABLE destruction_log (id INTEGER PRIMARY KEY, date TEXT NOT NULL, code TEXT NOT NULL);
    CREATE TABLE report_texts (
        year INTEGER PRIMARY KEY,
        signals TEXT NOT NULL DEFAULT '',
        recommendations TEXT NOT NULL DEFAULT '',
        confirmed INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL
    );
    CREATE INDEX cases_year ON cases(year);
    CREATE INDEX cases_status ON cases(status, opened);
    CREATE INDEX cases_opened ON cases(opened);
    CREATE INDEX case_values_dim ON case_values(dimension, code);
    CREATE INDEX consultations_date ON consultations(date);
    CREATE INDEX activities_date ON activities(date);
    """,
    # 3: the dashboard's figures from indexes alone (no table pages to
    #    decrypt): follow-ups due, cases past retention, minutes this month
    """
    CREATE INDEX cases_follow_up ON cases(status, follow_up);
    CREATE INDEX cases_retention_due ON cases(status, legal_hold, destroyed, closed);
    CREATE INDEX consultations_date_minutes ON consultations(date, minutes);
    DROP INDEX consultations_date;
    """,
    # 3 (h7-desk): the agenda's "no contact moment for N weeks" from an index alone
    #    (the last contact of each open case); it serves the case_id lookups too
    """
    CREATE INDEX consultations_case_date ON consultations(case_id, date);
    DROP INDEX consultations_case;
    """,
]

MIGRATIONS = {"index": INDEX_MIGRATIONS, "org": ORG_MIGRATIONS}


def schema_version(conn: Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: Connection, kind: str, *, target: int | None = None, part: str = "vault") -> int:
    """Bring the vault to ``target`` (default: newest); returns the version reached."""
    steps = MIGRATIONS[kind]
    target = len(steps) if target is None else target
    current = schema_version(conn)
    if current > len(steps):
        raise NewerSchema(part, current, len(steps))
    while current < target:
        script = steps[current]
        conn.execute("BEGIN IMMEDIATE")
        try:
            for statement in _statements(script):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {current + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        current += 1
    return current


def _statements(script: str) -> list[str]:
    """The statements of ``script``, one by one.

    A semicolon ends a statement only where SQLite's own tokenizer says the
    statement is complete, so a trigger body (``BEGIN ...; ...; END;``) or a
    semicolon inside a string literal stays in one piece.
    """
    statements: list[str] = []
    pending = ""
    for piece in script.split(";"):
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            text = pending.strip()[:-1].rstrip()
            if text:
                statements.append(text + ";")
            pending = ""
    if pending.strip(" \t\r\n;"):  # pragma: no cover - an unfinished statement
        statements.append(pending.strip())
    return statements
