-- user_version = 5
-- index report_ledger_org_year
CREATE INDEX report_ledger_org_year ON report_ledger(org_id, year);
-- table audit
CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
                        subject TEXT NOT NULL, prev_tag TEXT NOT NULL, tag TEXT NOT NULL);
-- table drafts
CREATE TABLE drafts (id TEXT PRIMARY KEY, payload TEXT NOT NULL, saved TEXT NOT NULL);
-- table meta
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table org_terms
CREATE TABLE org_terms (
        org_id INTEGER PRIMARY KEY REFERENCES organisations(id) ON DELETE CASCADE,
        start_date TEXT,
        end_date TEXT,
        agreed_hours INTEGER,
        kind TEXT
    );
-- table organisations
CREATE TABLE "organisations" (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
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
    , kind TEXT NOT NULL DEFAULT 'report', final INTEGER NOT NULL DEFAULT 1, format TEXT NOT NULL DEFAULT '');
-- table settings
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
