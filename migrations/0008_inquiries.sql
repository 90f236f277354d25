-- Inquiries from the public (petitions, requests for public information, press, general questions):
-- registered with a folio, paged to whoever is on call until someone takes them, answered within
-- legal terms counted in business days.
CREATE TABLE inquiries (
  id                INTEGER PRIMARY KEY,
  year              INTEGER NOT NULL,
  number            INTEGER NOT NULL,              -- the folio CONS-<year>-<number>, sequential per year
  channel           TEXT    NOT NULL,              -- where it came in: x, facebook, correo, web…
  type              TEXT    NOT NULL,              -- peticion, informacion, consulta, queja, prensa, general
  requester_name    TEXT,                          -- personal data: shown only to the assignee and admins
  requester_contact TEXT,
  text              TEXT    NOT NULL,
  source_link       TEXT,                          -- the chat message it was registered from
  received_at       INTEGER NOT NULL,              -- as told (a mail from yesterday keeps yesterday)
  receipt_date      TEXT    NOT NULL,              -- the business day it counts as received
  due_date          TEXT,                          -- null: no legal term for this type
  extended_due_date TEXT,
  term              TEXT,                          -- JSON: the legal row applied (days, extension, article)
  policy            TEXT    NOT NULL,              -- JSON: the escalation policy in force when it opened
  state             TEXT    NOT NULL,              -- open, taken, answered, transferred
  assignee_id       TEXT,
  taken_at          INTEGER,
  closed_at         INTEGER,
  answered_date     TEXT,                          -- the office-local date it was answered or transferred
  escalation_round  INTEGER NOT NULL DEFAULT 0,    -- bumped when it goes back into escalation (released)
  version           INTEGER NOT NULL DEFAULT 1,
  created_by        TEXT    NOT NULL,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  UNIQUE (year, number)
) STRICT;
-- open ones by the due date in force (the extended one once there is an extension)
CREATE INDEX inquiries_by_state_due ON inquiries(state, coalesce(extended_due_date, due_date));
CREATE INDEX inquiries_by_assignee ON inquiries(assignee_id, state);
CREATE INDEX inquiries_by_received ON inquiries(received_at);

CREATE TABLE inquiry_folios (
  year INTEGER PRIMARY KEY,
  last INTEGER NOT NULL
) STRICT;

-- The audit trail of every inquiry: one row per action, never updated or deleted.
CREATE TABLE inquiry_events (
  id          INTEGER PRIMARY KEY,
  inquiry_id  INTEGER NOT NULL REFERENCES inquiries(id),
  event       TEXT    NOT NULL,                    -- registered, taken, released, answered, extended, transferred, returned, due_changed
  actor_id    TEXT    NOT NULL,
  data        TEXT    NOT NULL DEFAULT '{}',
  platform    TEXT    NOT NULL,
  at          INTEGER NOT NULL
) STRICT;
CREATE INDEX inquiry_events_by_inquiry ON inquiry_events(inquiry_id, id);
CREATE TRIGGER inquiry_events_append_only_u BEFORE UPDATE ON inquiry_events
  BEGIN SELECT RAISE(ABORT, 'inquiry_events is append-only'); END;
CREATE TRIGGER inquiry_events_append_only_d BEFORE DELETE ON inquiry_events
  BEGIN SELECT RAISE(ABORT, 'inquiry_events is append-only'); END;

-- Where an inquiry was registered from: a web form's re-sent request, a replayed chat form.
CREATE TABLE inquiry_origins (
  origin_key TEXT    PRIMARY KEY,
  inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
  request    TEXT    NOT NULL,                     -- a digest of what was asked, to tell a reused key
  created_at INTEGER NOT NULL
) STRICT;

-- Messages the bot posted about an inquiry (its card in the inquiry channel), updated in place.
CREATE TABLE inquiry_messages (
  surface    TEXT    NOT NULL,
  channel    TEXT    NOT NULL,
  ts         TEXT    NOT NULL,
  inquiry_id INTEGER NOT NULL REFERENCES inquiries(id),
  kind       TEXT    NOT NULL,
  created_at INTEGER NOT NULL,
  rendered   INTEGER NOT NULL DEFAULT 0,            -- the inquiry's version this message shows (a refresh resumes)
  PRIMARY KEY (surface, channel, ts)
) STRICT;
CREATE INDEX inquiry_messages_by_inquiry ON inquiry_messages(inquiry_id, surface);

-- The on-call rotation: every list it had (the newest is in force), who set it and when.
CREATE TABLE oncall_rotations (
  id         INTEGER PRIMARY KEY,
  people     TEXT    NOT NULL,                     -- JSON array of person ids, in order
  anchor     TEXT    NOT NULL,                     -- the date the first person's shift starts
  source     TEXT    NOT NULL,                     -- env (ONCALL_IDS) or chat
  set_by     TEXT    NOT NULL,
  set_at     INTEGER NOT NULL
) STRICT;
CREATE TRIGGER oncall_rotations_append_only_u BEFORE UPDATE ON oncall_rotations
  BEGIN SELECT RAISE(ABORT, 'oncall_rotations is append-only'); END;

-- Someone covers whole days (holidays, leave); cancelled ones stay, for the record.
CREATE TABLE oncall_overrides (
  id           INTEGER PRIMARY KEY,
  person_id    TEXT    NOT NULL,
  from_date    TEXT    NOT NULL,
  to_date      TEXT    NOT NULL,
  created_by   TEXT    NOT NULL,
  created_at   INTEGER NOT NULL,
  cancelled_by TEXT,
  cancelled_at INTEGER
) STRICT;
CREATE INDEX oncall_overrides_span ON oncall_overrides(to_date, from_date);

-- What the inquiries were last computed with (the legal calendar): a change recomputes open due dates.
CREATE TABLE inquiry_settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
