-- Visto Bueno: approvals foundation.
-- Times are UTC epoch milliseconds; time zones are applied only when rendering.

CREATE TABLE pieces (
  id               INTEGER PRIMARY KEY,
  title            TEXT    NOT NULL,
  body             TEXT    NOT NULL,
  kind             TEXT    NOT NULL,
  networks         TEXT    NOT NULL,              -- JSON array of network codes
  planned_at       INTEGER,                       -- planned publication, epoch ms
  planned_has_time INTEGER NOT NULL DEFAULT 0,    -- 0: only the day is planned
  materials_url    TEXT,
  needs_design     INTEGER NOT NULL,
  design_url       TEXT,
  published_url    TEXT,                          -- the testigo
  stage            TEXT    NOT NULL,
  version          INTEGER NOT NULL DEFAULT 1,    -- bumped by every transition; guards double clicks
  author_id        TEXT    NOT NULL,
  platform         TEXT    NOT NULL,
  origin_key       TEXT    UNIQUE,                -- e.g. the Slack view id: a replayed submission creates nothing
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL
) STRICT;
CREATE INDEX pieces_by_stage  ON pieces(stage, updated_at);
CREATE INDEX pieces_by_author ON pieces(author_id, updated_at);

-- The audit trail: one row per decision, never updated or deleted.
CREATE TABLE piece_events (
  id           INTEGER PRIMARY KEY,
  piece_id     INTEGER NOT NULL REFERENCES pieces(id),
  version_from INTEGER NOT NULL,                  -- the version the decision was taken on (0 = creation)
  event        TEXT    NOT NULL,
  from_stage   TEXT,
  to_stage     TEXT    NOT NULL,
  actor_id     TEXT    NOT NULL,
  reason       TEXT,
  data         TEXT,                              -- JSON: links given with the decision
  platform     TEXT    NOT NULL,
  at           INTEGER NOT NULL,
  UNIQUE (piece_id, version_from)                 -- a second guard: one decision per version
) STRICT;
CREATE TRIGGER piece_events_append_only_u BEFORE UPDATE ON piece_events
  BEGIN SELECT RAISE(ABORT, 'piece_events is append-only'); END;
CREATE TRIGGER piece_events_append_only_d BEFORE DELETE ON piece_events
  BEGIN SELECT RAISE(ABORT, 'piece_events is append-only'); END;

-- Messages the bot posted about a piece (review card, task DMs), refreshed in place after each decision.
CREATE TABLE piece_messages (
  channel    TEXT    NOT NULL,
  ts         TEXT    NOT NULL,
  piece_id   INTEGER NOT NULL REFERENCES pieces(id),
  kind       TEXT    NOT NULL,
  params     TEXT    NOT NULL DEFAULT '{}',
  created_at INTEGER NOT NULL,
  PRIMARY KEY (channel, ts)
) STRICT;
CREATE INDEX piece_messages_by_piece ON piece_messages(piece_id, kind);

-- Roles granted from chat; roles from the environment are added on top at run time.
CREATE TABLE role_grants (
  user_id    TEXT    NOT NULL,
  role       TEXT    NOT NULL,
  granted_by TEXT    NOT NULL,
  granted_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, role)
) STRICT;

CREATE TABLE role_events (
  id       INTEGER PRIMARY KEY,
  user_id  TEXT    NOT NULL,
  role     TEXT    NOT NULL,
  action   TEXT    NOT NULL CHECK (action IN ('grant', 'revoke')),
  actor_id TEXT    NOT NULL,
  at       INTEGER NOT NULL
) STRICT;
CREATE TRIGGER role_events_append_only_u BEFORE UPDATE ON role_events
  BEGIN SELECT RAISE(ABORT, 'role_events is append-only'); END;
CREATE TRIGGER role_events_append_only_d BEFORE DELETE ON role_events
  BEGIN SELECT RAISE(ABORT, 'role_events is append-only'); END;

-- The outbox: every message a decision must send is a row first, written in the decision's transaction.
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  kind            TEXT    NOT NULL,
  payload         TEXT    NOT NULL,               -- JSON
  piece_id        INTEGER REFERENCES pieces(id),
  status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until     INTEGER,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  done_at         INTEGER
) STRICT;
CREATE INDEX outbox_due ON outbox(status, next_attempt_at);
