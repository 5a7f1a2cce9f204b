-- user_version = 2
-- index report_ledger_org_year
CREATE INDEX report_ledger_org_year ON report_ledger(org_id, year);
-- table audit
CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
                        subject TEXT NOT NULL, prev_tag TEXT NOT NULL, tag TEXT NOT NULL);
-- table drafts
CREATE TABLE drafts (id TEXT PRIMARY KEY, payload TEXT NOT NULL, saved TEXT NOT NULL);
-- table meta
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table organisations
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
-- table report_ledger
CREATE TABLE report_ledger (
        id INTEGER PRIMARY KEY,
        org_id INTEGER NOT NULL,
        year INTEGER NOT NULL,
        issued TEXT NOT NULL,
        figures TEXT NOT NULL,
        digest TEXT NOT NULL
    );
-- table settings
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
