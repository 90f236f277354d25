-- When a person last used each surface: a direct message to someone on both Slack and Teams goes
-- where they were last seen. NULL: never seen there (named in a setting, or linked by e-mail).
ALTER TABLE person_identities ADD COLUMN last_seen_at INTEGER;

-- A Teams user as the Bot Framework knows them: their id in the bot's conversations (29:…), which
-- a new 1:1 chat and a card's refresh.userIds name, and their tenant. Keyed by the Azure AD object
-- id, which is the person's Teams identity (person_identities.external_id).
CREATE TABLE teams_users (
  aad_object_id TEXT    PRIMARY KEY,
  user_id       TEXT    NOT NULL,
  tenant_id     TEXT,
  service_url   TEXT,
  updated_at    INTEGER NOT NULL
) STRICT;

-- Two records of one human, made before they could be linked (an e-mail in a setting, a Teams id in
-- a setting, a Slack user met before the bot asked e-mails): the one with no history of its own is
-- absorbed by the other — its identities and what it held move over — and keeps this pointer, so
-- an id in an old row still tells who it was.
ALTER TABLE people ADD COLUMN merged_into TEXT;
