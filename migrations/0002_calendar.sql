-- Editorial calendar, reminders and digests.

CREATE TABLE calendar_entries (
  id          INTEGER PRIMARY KEY,
  title       TEXT    NOT NULL,
  kind        TEXT    NOT NULL,
  start_date  TEXT    NOT NULL,               -- YYYY-MM-DD in the office's time zone
  time        TEXT,                           -- HH:mm local; NULL = all day
  owner_id    TEXT,
  recurrence  TEXT    NOT NULL,               -- JSON: {"freq":"none"|"weekly"|"monthly"|"yearly", "weekdays":[1..7]}
  until_date  TEXT,
  reminders   TEXT    NOT NULL,               -- JSON array of reminder codes
  notes       TEXT,
  import_key  TEXT    UNIQUE,                 -- a CSV row imported twice is the same entry
  created_by  TEXT    NOT NULL,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  deleted_at  INTEGER,
  deleted_by  TEXT
) STRICT;
CREATE INDEX calendar_entries_active ON calendar_entries(deleted_at, start_date);

CREATE TABLE calendar_exceptions (
  entry_id        INTEGER NOT NULL REFERENCES calendar_entries(id),
  occurrence_date TEXT    NOT NULL,
  action          TEXT    NOT NULL CHECK (action IN ('skip', 'move')),
  new_date        TEXT,
  new_time        TEXT,
  new_title       TEXT,
  PRIMARY KEY (entry_id, occurrence_date)
) STRICT;

-- Every timed job is a row: calendar reminders, piece alerts, daily digests.
-- A row is claimed and marked done in the same transaction that writes its outbox messages.
CREATE TABLE reminders (
  id              INTEGER PRIMARY KEY,
  key             TEXT    NOT NULL UNIQUE,    -- what it is for; planning twice never duplicates
  kind            TEXT    NOT NULL CHECK (kind IN ('entry', 'piece_alert', 'digest')),
  entry_id        INTEGER,
  piece_id        INTEGER,
  occurrence_date TEXT,
  code            TEXT,
  due_at          INTEGER NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'skipped', 'cancelled')),
  done_at         INTEGER,
  late            INTEGER NOT NULL DEFAULT 0,
  note            TEXT
) STRICT;
CREATE INDEX reminders_due ON reminders(status, due_at);
CREATE INDEX reminders_by_entry ON reminders(entry_id, status);

CREATE TABLE digest_subscriptions (
  user_id    TEXT    PRIMARY KEY,
  created_at INTEGER NOT NULL
) STRICT;

-- The calendar and the digest look pieces up by planned publication and by decision time.
CREATE INDEX pieces_by_planned ON pieces(planned_at);
CREATE INDEX piece_events_by_event ON piece_events(event, at);
