-- The alerts HQ shows and republishes on its alert topic: the kiosks' own (`events/alert`, source
-- `kiosk`) and those the collector's rules raise (source `hq`: offline too long, no Z report, …).
-- One row per raise; the clear fills `cleared_at`, so at most one row per kiosk and code is open.

CREATE TABLE alerts (
  site text NOT NULL,
  device text NOT NULL,
  -- Stable and machine-readable: `vipps-5080` from a kiosk, `hq-offline` from a rule.
  code text NOT NULL,
  source text NOT NULL CHECK (source IN ('kiosk', 'hq')),
  severity text NOT NULL CHECK (severity IN ('critical', 'warning')),
  -- For HQ's operations person, in plain words: what is wrong and what to do. Never customer data.
  message text NOT NULL,
  raised_at timestamptz NOT NULL,
  cleared_at timestamptz,
  PRIMARY KEY (site, device, code, raised_at)
);
CREATE UNIQUE INDEX alerts_one_open ON alerts (site, device, code) WHERE cleared_at IS NULL;
CREATE INDEX alerts_raised_at ON alerts (raised_at);
