-- The local web console's conversations: what the bot posted to a console channel («review», …) or
-- to a person's direct messages («dm:p12»). Cards of pieces and inquiries keep only which piece or
-- inquiry they show (rendered from the current state on every view); other messages keep the neutral
-- view they were delivered with (JSON). `visible_to`: an answer only that person sees (as Slack's
-- ephemeral messages). `parent_id`: a reply in a card's thread.
CREATE TABLE console_messages (
  id           INTEGER PRIMARY KEY,
  conversation TEXT    NOT NULL,
  visible_to   TEXT,
  parent_id    INTEGER REFERENCES console_messages (id) ON DELETE CASCADE,
  kind         TEXT    NOT NULL CHECK (kind IN ('piece', 'notice', 'inquiry', 'view', 'chart')),
  ref          INTEGER,
  body         TEXT    NOT NULL,
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX console_messages_by_conversation ON console_messages (conversation, id);
CREATE INDEX console_messages_by_ref ON console_messages (kind, ref);

-- The console's own settings that outlive a restart: the demo clock's offset from real time.
CREATE TABLE console_state (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
