-- Timed work as one generic table of due rows. Each feature registers its own job kinds (how to
-- plan what is coming, how to fire one due row); the scheduler knows none of them by name.
CREATE TABLE jobs (
  id           INTEGER PRIMARY KEY,
  kind         TEXT    NOT NULL,                 -- registered by a feature, e.g. calendar.reminder
  key          TEXT    NOT NULL UNIQUE,          -- what it is for: planning twice never duplicates
  subject      TEXT,                             -- what it is about (entry:12, piece:4), to cancel together
  payload      TEXT    NOT NULL DEFAULT '{}',    -- JSON, read by the kind
  due_at       INTEGER NOT NULL,
  planned_with TEXT    NOT NULL DEFAULT '',      -- the settings it was planned with (time zone, digest time…)
  state        TEXT    NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped', 'cancelled')),
  late         INTEGER NOT NULL DEFAULT 0,
  note         TEXT,
  created_at   INTEGER NOT NULL,
  done_at      INTEGER
) STRICT;
CREATE INDEX jobs_due ON jobs(state, due_at);
CREATE INDEX jobs_by_subject ON jobs(subject, state);
CREATE INDEX jobs_by_kind ON jobs(kind, state, planned_with);
CREATE INDEX jobs_done ON jobs(done_at) WHERE done_at IS NOT NULL;

-- How far ahead each kind has planned, and with which settings.
CREATE TABLE job_horizons (
  kind          TEXT    PRIMARY KEY,
  planned_until INTEGER NOT NULL,
  planned_with  TEXT    NOT NULL
) STRICT;

-- The rows of the old reminders table, kept (their keys stop a reminder that already fired from firing again).
-- planned_with '' makes the pending ones re-planned with the current settings at the next start.
INSERT INTO jobs (kind, key, subject, payload, due_at, state, late, note, created_at, done_at)
SELECT CASE kind WHEN 'entry' THEN 'calendar.reminder' WHEN 'piece_alert' THEN 'approvals.piece_alert' ELSE 'digest.daily' END,
       key,
       CASE kind WHEN 'entry' THEN 'entry:' || entry_id WHEN 'piece_alert' THEN 'piece:' || piece_id ELSE NULL END,
       CASE kind
         WHEN 'entry' THEN json_object('entryId', entry_id, 'occurrenceDate', occurrence_date, 'code', code)
         WHEN 'piece_alert' THEN json_object('pieceId', piece_id, 'occurrenceDate', occurrence_date)
         ELSE json_object('date', occurrence_date) END,
       due_at,
       CASE status WHEN 'sent' THEN 'done' ELSE status END,
       late, note, COALESCE(done_at, due_at), done_at
  FROM reminders;
DROP TABLE reminders;

-- Outbox rows belong to a delivery lane (one per surface) and say what they were about.
ALTER TABLE outbox ADD COLUMN lane TEXT NOT NULL DEFAULT 'slack';
DROP INDEX outbox_due;
CREATE INDEX outbox_due ON outbox(lane, status, next_attempt_at);
CREATE INDEX outbox_done ON outbox(done_at) WHERE done_at IS NOT NULL;
-- /healthz counts only what is still open or failed; sent rows (the vast majority) stay out of it.
CREATE INDEX outbox_open ON outbox(status, lane) WHERE status != 'sent';
