-- user_version = 4
-- index activities_date
CREATE INDEX activities_date ON activities(date);
-- index case_values_dim
CREATE INDEX case_values_dim ON case_values(dimension, code);
-- index cases_follow_up
CREATE INDEX cases_follow_up ON cases(status, follow_up);
-- index cases_opened
CREATE INDEX cases_opened ON cases(opened);
-- index cases_retention_due
CREATE INDEX cases_retention_due ON cases(status, legal_hold, destroyed, closed);
-- index cases_status
CREATE INDEX cases_status ON cases(status, opened);
-- index cases_year
CREATE INDEX cases_year ON cases(year);
-- index consultations_case_date
CREATE INDEX consultations_case_date ON consultations(case_id, date);
-- index consultations_date_minutes
CREATE INDEX consultations_date_minutes ON consultations(date, minutes);
-- index subject_hashes_hash
CREATE INDEX subject_hashes_hash ON subject_hashes(hash);
-- table activities
CREATE TABLE activities (
        id INTEGER PRIMARY KEY,
        date TEXT NOT NULL,
        kind TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        notes TEXT NOT NULL DEFAULT ''
    );
-- table audit
CREATE TABLE audit (seq INTEGER PRIMARY KEY, time TEXT NOT NULL, event TEXT NOT NULL,
                        subject TEXT NOT NULL, prev_tag TEXT NOT NULL, tag TEXT NOT NULL);
-- table case_values
CREATE TABLE case_values (
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        dimension TEXT NOT NULL,
        code TEXT NOT NULL,
        PRIMARY KEY (case_id, dimension, code)
    ) WITHOUT ROWID;
-- table cases
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
        updated TEXT NOT NULL, legal_hold INTEGER NOT NULL DEFAULT 0, hold_reason TEXT NOT NULL DEFAULT '', destroyed TEXT,
        UNIQUE (year, seq)
    );
-- table consultations
CREATE TABLE consultations (
        id INTEGER PRIMARY KEY,
        case_id INTEGER NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
        date TEXT NOT NULL,
        minutes INTEGER NOT NULL,
        channel TEXT,
        notes TEXT NOT NULL DEFAULT ''
    , created TEXT);
-- table destruction_log
CREATE TABLE destruction_log (id INTEGER PRIMARY KEY, date TEXT NOT NULL, code TEXT NOT NULL);
-- table meta
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
-- table report_texts
CREATE TABLE report_texts (
        year INTEGER PRIMARY KEY,
        signals TEXT NOT NULL DEFAULT '',
        recommendations TEXT NOT NULL DEFAULT '',
        confirmed INTEGER NOT NULL DEFAULT 0,
        updated TEXT NOT NULL
    );
-- table subject_hashes
CREATE TABLE subject_hashes (
        case_id INTEGER PRIMARY KEY REFERENCES cases(id) ON DELETE CASCADE,
        hash TEXT NOT NULL
    );
