-- The last date an entry can fall on: its own date for a one-off, «hasta» for a series (NULL: no end).
-- Without it, a one-off entry (until_date NULL) looked open-ended, and every planning pass and every
-- calendar view re-read every one-off entry ever created. Virtual: always true to start_date/until_date.
ALTER TABLE calendar_entries ADD COLUMN last_date TEXT
  GENERATED ALWAYS AS (CASE WHEN json_extract(recurrence, '$.freq') = 'none' THEN start_date ELSE until_date END) VIRTUAL;
CREATE INDEX calendar_entries_span ON calendar_entries(deleted_at, last_date, start_date);
