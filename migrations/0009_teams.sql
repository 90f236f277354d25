-- Teams conversations the bot may write to, as the Bot Framework's conversation references (JSON):
-- kept from every activity Teams sends (an install in a team or chat, a person's first message).
-- A 1:1 chat names its person: direct messages to them go there.
CREATE TABLE teams_conversations (
  conversation_id TEXT    PRIMARY KEY,
  kind            TEXT    NOT NULL CHECK (kind IN ('personal', 'channel', 'groupChat')),
  person_id       TEXT    REFERENCES people(id),
  reference       TEXT    NOT NULL,
  updated_at      INTEGER NOT NULL
) STRICT;
CREATE INDEX teams_conversations_person ON teams_conversations(person_id) WHERE person_id IS NOT NULL;
