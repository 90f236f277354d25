-- Campaign KPIs. Values are exact integers: hundredths of the metric's unit (cents of CURRENCY,
-- hundredths of a percent, hundredths of a count — counts are whole, so always multiples of 100).

CREATE TABLE kpi_campaigns (
  id           INTEGER PRIMARY KEY,
  key          TEXT    NOT NULL UNIQUE,
  name         TEXT    NOT NULL,
  start_date   TEXT    NOT NULL,
  end_date     TEXT    NOT NULL,
  budget       INTEGER,            -- cents; NULL = no budget
  -- [{key,name,unit,aggregation}] the campaign's own metrics
  metrics      TEXT    NOT NULL DEFAULT '[]',
  -- [{metric,value}] value in hundredths
  targets      TEXT    NOT NULL DEFAULT '[]',
  version      INTEGER NOT NULL DEFAULT 1,
  -- bumped by every change of its figures: a summary computed at one data_version stays true
  data_version INTEGER NOT NULL DEFAULT 0,
  created_at   INTEGER NOT NULL,
  created_by   TEXT    NOT NULL,
  updated_at   INTEGER NOT NULL,
  updated_by   TEXT    NOT NULL
) STRICT;
CREATE INDEX kpi_campaigns_span ON kpi_campaigns(end_date, start_date);

-- Every definition a campaign had (created, replaced): who, when, what.
CREATE TABLE kpi_campaign_events (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL REFERENCES kpi_campaigns(id),
  version     INTEGER NOT NULL,
  actor_id    TEXT    NOT NULL,
  at          INTEGER NOT NULL,
  definition  TEXT    NOT NULL
) STRICT;
CREATE TRIGGER kpi_campaign_events_append_only_u BEFORE UPDATE ON kpi_campaign_events
  BEGIN SELECT RAISE(ABORT, 'kpi_campaign_events is append-only'); END;
CREATE TRIGGER kpi_campaign_events_append_only_d BEFORE DELETE ON kpi_campaign_events
  BEGIN SELECT RAISE(ABORT, 'kpi_campaign_events is append-only'); END;

-- One value per (campaign, metric, office-local date, source): a re-sent report replaces it.
CREATE TABLE kpi_observations (
  campaign_id INTEGER NOT NULL REFERENCES kpi_campaigns(id),
  metric      TEXT    NOT NULL,
  date        TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  value       INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  recorded_by TEXT    NOT NULL,
  PRIMARY KEY (campaign_id, metric, source, date)
) STRICT, WITHOUT ROWID;

-- A corrected value keeps the one it replaced: the figures reported can be shown later.
CREATE TABLE kpi_corrections (
  id          INTEGER PRIMARY KEY,
  campaign_id INTEGER NOT NULL,
  metric      TEXT    NOT NULL,
  date        TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  old_value   INTEGER NOT NULL,
  new_value   INTEGER NOT NULL,
  at          INTEGER NOT NULL,
  actor_id    TEXT    NOT NULL
) STRICT;

-- Rollups kept by triggers, so a summary over years of days reads months, not days.
CREATE TABLE kpi_daily (
  campaign_id INTEGER NOT NULL,
  metric      TEXT    NOT NULL,
  date        TEXT    NOT NULL,
  total       INTEGER NOT NULL,
  n           INTEGER NOT NULL,   -- how many sources reported that day
  PRIMARY KEY (campaign_id, metric, date)
) STRICT, WITHOUT ROWID;
-- Every metric of a campaign over a few days (the ends of a sum, the last 30 days): a range, not a scan.
CREATE INDEX kpi_daily_by_date ON kpi_daily(campaign_id, date, total, n);

CREATE TABLE kpi_monthly (
  campaign_id INTEGER NOT NULL,
  metric      TEXT    NOT NULL,
  month       TEXT    NOT NULL,   -- YYYY-MM
  total       INTEGER NOT NULL,
  n           INTEGER NOT NULL,   -- how many figures
  PRIMARY KEY (campaign_id, metric, month)
) STRICT, WITHOUT ROWID;
CREATE INDEX kpi_monthly_by_month ON kpi_monthly(campaign_id, month, total, n);

-- Everything ever reported per metric: a sum to a date is this minus what lies outside the
-- campaign's days, so the usual question («to today») reads a handful of rows, not years.
CREATE TABLE kpi_totals (
  campaign_id INTEGER NOT NULL,
  metric      TEXT    NOT NULL,
  total       INTEGER NOT NULL,
  n           INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, metric)
) STRICT, WITHOUT ROWID;

-- Who reports each metric (a network, the CRM): a level is each source's last value, combined.
CREATE TABLE kpi_sources (
  campaign_id INTEGER NOT NULL,
  metric      TEXT    NOT NULL,
  source      TEXT    NOT NULL,
  PRIMARY KEY (campaign_id, metric, source)
) STRICT, WITHOUT ROWID;

CREATE TRIGGER kpi_observations_ai AFTER INSERT ON kpi_observations BEGIN
  INSERT INTO kpi_sources (campaign_id, metric, source) VALUES (NEW.campaign_id, NEW.metric, NEW.source) ON CONFLICT DO NOTHING;
  INSERT INTO kpi_daily (campaign_id, metric, date, total, n) VALUES (NEW.campaign_id, NEW.metric, NEW.date, NEW.value, 1)
    ON CONFLICT DO UPDATE SET total = total + NEW.value, n = n + 1;
  INSERT INTO kpi_monthly (campaign_id, metric, month, total, n) VALUES (NEW.campaign_id, NEW.metric, substr(NEW.date, 1, 7), NEW.value, 1)
    ON CONFLICT DO UPDATE SET total = total + NEW.value, n = n + 1;
  INSERT INTO kpi_totals (campaign_id, metric, total, n) VALUES (NEW.campaign_id, NEW.metric, NEW.value, 1)
    ON CONFLICT DO UPDATE SET total = total + NEW.value, n = n + 1;
  UPDATE kpi_campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
END;

CREATE TRIGGER kpi_observations_au AFTER UPDATE OF value ON kpi_observations WHEN NEW.value <> OLD.value BEGIN
  UPDATE kpi_daily SET total = total + NEW.value - OLD.value WHERE campaign_id = NEW.campaign_id AND metric = NEW.metric AND date = NEW.date;
  UPDATE kpi_monthly SET total = total + NEW.value - OLD.value WHERE campaign_id = NEW.campaign_id AND metric = NEW.metric AND month = substr(NEW.date, 1, 7);
  UPDATE kpi_totals SET total = total + NEW.value - OLD.value WHERE campaign_id = NEW.campaign_id AND metric = NEW.metric;
  UPDATE kpi_campaigns SET data_version = data_version + 1 WHERE id = NEW.campaign_id;
  INSERT INTO kpi_corrections (campaign_id, metric, date, source, old_value, new_value, at, actor_id)
    VALUES (NEW.campaign_id, NEW.metric, NEW.date, NEW.source, OLD.value, NEW.value, NEW.recorded_at, NEW.recorded_by);
END;

CREATE TRIGGER kpi_observations_ad AFTER DELETE ON kpi_observations BEGIN
  UPDATE kpi_daily SET total = total - OLD.value, n = n - 1 WHERE campaign_id = OLD.campaign_id AND metric = OLD.metric AND date = OLD.date;
  UPDATE kpi_monthly SET total = total - OLD.value, n = n - 1 WHERE campaign_id = OLD.campaign_id AND metric = OLD.metric AND month = substr(OLD.date, 1, 7);
  UPDATE kpi_totals SET total = total - OLD.value, n = n - 1 WHERE campaign_id = OLD.campaign_id AND metric = OLD.metric;
  UPDATE kpi_campaigns SET data_version = data_version + 1 WHERE id = OLD.campaign_id;
END;

-- Alerts sent once per crossing: a condition is «on» from its alert until it recovers.
CREATE TABLE kpi_alert_state (
  campaign_id INTEGER NOT NULL,
  alert       TEXT    NOT NULL,   -- behind:<metric> | budget_90 | budget_100 | budget_projected
  active      INTEGER NOT NULL,
  changed_at  INTEGER NOT NULL,
  PRIMARY KEY (campaign_id, alert)
) STRICT, WITHOUT ROWID;
