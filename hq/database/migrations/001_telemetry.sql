-- What the collector keeps of the fleet's telemetry (contracts/asyncapi.yaml): every event by the
-- kiosk's own id, presence changes, health samples and each kiosk's latest state. Amounts are integer
-- minor units (øre/cent), as the kiosks send them. Times are the kiosk's clock (`at`) and HQ's (`received_at`).

CREATE TABLE events (
  site text NOT NULL,
  device text NOT NULL,
  -- The kiosk's event id (a ULID): a redelivered or twice-published event is one row.
  id text NOT NULL,
  type text NOT NULL,
  class text NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- The payment reference and amount of the events that carry them, for totals and reconciliation.
  reference text,
  amount bigint,
  currency text,
  payload jsonb NOT NULL,
  PRIMARY KEY (site, device, id)
);
CREATE INDEX events_at ON events (at);
CREATE INDEX events_type_at ON events (type, at);
CREATE INDEX events_reference ON events (reference) WHERE reference IS NOT NULL;

-- Each `status` a kiosk published: one row per boot, connection and state, so the retained status
-- sent again on a new subscription, or a redelivery, adds nothing.
CREATE TABLE presence (
  site text NOT NULL,
  device text NOT NULL,
  boot_id text NOT NULL,
  session integer NOT NULL,
  state text NOT NULL CHECK (state IN ('online', 'offline')),
  version text,
  started_at timestamptz,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (site, device, boot_id, session, state)
);
CREATE INDEX presence_received_at ON presence (site, device, received_at);

-- `health` is published at QoS 0 and carries no id: each sample that arrived is a row.
CREATE TABLE health_samples (
  site text NOT NULL,
  device text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL
);
CREATE INDEX health_samples_kiosk ON health_samples (site, device, received_at);

-- The retained `state` (screen, Vipps reachable, scanner): the latest one per kiosk.
CREATE TABLE kiosk_states (
  site text NOT NULL,
  device text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  payload jsonb NOT NULL,
  PRIMARY KEY (site, device)
);

-- Messages on the collected topics that could not be read: kept for a person to look at, and
-- acknowledged, so one bad message does not come back for ever.
CREATE TABLE unreadable_messages (
  topic text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  problem text NOT NULL,
  payload text NOT NULL
);
