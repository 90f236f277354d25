-- Calendar edits are guarded by a version, as pieces are: a form opened on version 3 writes only
-- if the entry is still at version 3. Who changed it last is what a person whose form went stale is told.
ALTER TABLE calendar_entries ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE calendar_entries ADD COLUMN updated_by TEXT;
UPDATE calendar_entries SET updated_by = created_by;

-- One row per change, named by the version it replaced (append-only, beside the current state).
CREATE TABLE calendar_entry_events (
  id              INTEGER PRIMARY KEY,
  entry_id        INTEGER NOT NULL REFERENCES calendar_entries(id),
  version_from    INTEGER NOT NULL,
  action          TEXT    NOT NULL CHECK (action IN ('edit_series', 'move_occurrence', 'skip_occurrence', 'delete_series')),
  occurrence_date TEXT,                        -- for a moved or removed date of a series
  actor_id        TEXT    NOT NULL,
  origin_key      TEXT    UNIQUE,              -- the form that made the change: a replay is recognised, not refused
  at              INTEGER NOT NULL,
  UNIQUE (entry_id, version_from)
) STRICT;


-- Views and reminders look up dates moved into a range, however far they came from.
CREATE INDEX calendar_exceptions_moved_to ON calendar_exceptions(new_date) WHERE action = 'move';
