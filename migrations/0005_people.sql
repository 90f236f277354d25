-- People, not platform ids. A person has an id of ours (p1, p2…) and one identity per surface
-- (a Slack user id; later a Teams user and the console's login), linked by e-mail when known.
CREATE TABLE people (
  seq        INTEGER PRIMARY KEY,
  id         TEXT    NOT NULL UNIQUE,          -- 'p' || seq: what every other table stores
  name       TEXT,
  email      TEXT    UNIQUE COLLATE NOCASE,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE person_identities (
  surface     TEXT    NOT NULL,                -- slack, teams, console
  external_id TEXT    NOT NULL,                -- the id that surface gives the person
  person_id   TEXT    NOT NULL REFERENCES people(id),
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (surface, external_id)
) STRICT;
CREATE INDEX person_identities_by_person ON person_identities(person_id, surface);

-- Every Slack user id stored so far becomes a person with a Slack identity…
CREATE TEMP TABLE slack_seen AS
  SELECT id AS slack_id, row_number() OVER (ORDER BY id) AS seq FROM (
    SELECT author_id AS id FROM pieces
    UNION SELECT actor_id FROM piece_events
    UNION SELECT user_id FROM role_grants UNION SELECT granted_by FROM role_grants
    UNION SELECT user_id FROM role_events UNION SELECT actor_id FROM role_events
    UNION SELECT owner_id FROM calendar_entries UNION SELECT created_by FROM calendar_entries UNION SELECT deleted_by FROM calendar_entries
    UNION SELECT updated_by FROM calendar_entries UNION SELECT actor_id FROM calendar_entry_events
    UNION SELECT user_id FROM digest_subscriptions
    UNION SELECT json_extract(payload, '$.to') FROM outbox UNION SELECT json_extract(payload, '$.actorId') FROM outbox
    UNION SELECT json_extract(params, '$.actorId') FROM piece_messages
  ) WHERE id GLOB '[UW][A-Z0-9]*';
INSERT INTO people (seq, id, created_at)
  SELECT seq, 'p' || seq, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM slack_seen;
INSERT INTO person_identities (surface, external_id, person_id, created_at)
  SELECT 'slack', slack_id, 'p' || seq, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) FROM slack_seen;

-- …and every column that held a Slack user id now holds that person's id. The audit tables are
-- append-only; this one-time translation is the only change they ever get (the Slack id stays
-- traceable through person_identities), so their guards are lifted for it and put back.
DROP TRIGGER piece_events_append_only_u;
DROP TRIGGER role_events_append_only_u;
UPDATE pieces SET author_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = author_id) WHERE author_id IN (SELECT slack_id FROM slack_seen);
UPDATE piece_events SET actor_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = actor_id) WHERE actor_id IN (SELECT slack_id FROM slack_seen);
UPDATE role_events SET user_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = user_id) WHERE user_id IN (SELECT slack_id FROM slack_seen);
UPDATE role_events SET actor_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = actor_id) WHERE actor_id IN (SELECT slack_id FROM slack_seen);
CREATE TRIGGER piece_events_append_only_u BEFORE UPDATE ON piece_events
  BEGIN SELECT RAISE(ABORT, 'piece_events is append-only'); END;
CREATE TRIGGER role_events_append_only_u BEFORE UPDATE ON role_events
  BEGIN SELECT RAISE(ABORT, 'role_events is append-only'); END;
UPDATE role_grants SET user_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = user_id) WHERE user_id IN (SELECT slack_id FROM slack_seen);
UPDATE role_grants SET granted_by = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = granted_by) WHERE granted_by IN (SELECT slack_id FROM slack_seen);
UPDATE calendar_entries SET owner_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = owner_id) WHERE owner_id IN (SELECT slack_id FROM slack_seen);
UPDATE calendar_entries SET created_by = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = created_by) WHERE created_by IN (SELECT slack_id FROM slack_seen);
UPDATE calendar_entries SET deleted_by = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = deleted_by) WHERE deleted_by IN (SELECT slack_id FROM slack_seen);
UPDATE calendar_entries SET updated_by = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = updated_by) WHERE updated_by IN (SELECT slack_id FROM slack_seen);
UPDATE calendar_entry_events SET actor_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = actor_id) WHERE actor_id IN (SELECT slack_id FROM slack_seen);
-- The calendar's change history is an audit trail too: from now on, append-only.
CREATE TRIGGER calendar_entry_events_append_only_u BEFORE UPDATE ON calendar_entry_events
  BEGIN SELECT RAISE(ABORT, 'calendar_entry_events is append-only'); END;
CREATE TRIGGER calendar_entry_events_append_only_d BEFORE DELETE ON calendar_entry_events
  BEGIN SELECT RAISE(ABORT, 'calendar_entry_events is append-only'); END;
-- The CSV import used to record a made-up channel as creator: it was the import process.
UPDATE calendar_entries SET created_by = 'sys:csv-import' WHERE created_by = 'importación-csv';
UPDATE calendar_entries SET updated_by = 'sys:csv-import' WHERE updated_by = 'importación-csv';
UPDATE digest_subscriptions SET user_id = (SELECT 'p' || seq FROM slack_seen WHERE slack_id = user_id) WHERE user_id IN (SELECT slack_id FROM slack_seen);
UPDATE piece_messages SET params = json_set(params, '$.actorId', (SELECT 'p' || seq FROM slack_seen WHERE slack_id = json_extract(params, '$.actorId')))
  WHERE json_extract(params, '$.actorId') IN (SELECT slack_id FROM slack_seen);

-- Messages still to send name a person or a named place, not a Slack id or channel.
UPDATE outbox SET payload = json_set(payload, '$.actorId', (SELECT 'p' || seq FROM slack_seen WHERE slack_id = json_extract(payload, '$.actorId')))
  WHERE json_extract(payload, '$.actorId') IN (SELECT slack_id FROM slack_seen);
UPDATE outbox SET payload = json_set(payload, '$.to', json_object('person', (SELECT 'p' || seq FROM slack_seen WHERE slack_id = json_extract(payload, '$.to'))))
  WHERE json_extract(payload, '$.to') IN (SELECT slack_id FROM slack_seen);
UPDATE outbox SET payload = json_set(payload, '$.to', json_object('place', CASE kind WHEN 'digest' THEN 'digest' ELSE 'calendar' END))
  WHERE json_type(payload, '$.to') = 'text';

-- A message the bot posted is remembered as (surface, conversation, message id), so a decision
-- can refresh every copy of a card on every surface.
CREATE TABLE piece_messages_new (
  surface    TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  ts         TEXT    NOT NULL,
  piece_id   INTEGER NOT NULL REFERENCES pieces(id),
  kind       TEXT    NOT NULL,
  params     TEXT    NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (surface, channel, ts)
) STRICT;
INSERT INTO piece_messages_new SELECT 'slack', channel, ts, piece_id, kind, params, created_at FROM piece_messages;
DROP TABLE piece_messages;
ALTER TABLE piece_messages_new RENAME TO piece_messages;
CREATE INDEX piece_messages_by_piece ON piece_messages(piece_id, kind);
DROP TABLE slack_seen;
