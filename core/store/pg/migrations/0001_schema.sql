-- invsync schema, version 1: the true count, listings, order events, the push outbox, logs.
-- Times are timestamptz (microsecond precision); the application always passes them in, so a
-- simulated clock and the real one look the same to the database.

CREATE FUNCTION invsync_ts(p_unix_us bigint) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT 'epoch'::timestamptz + p_unix_us * interval '1 microsecond' $$;

CREATE FUNCTION invsync_us(p_at timestamptz) RETURNS bigint
  LANGUAGE sql IMMUTABLE STRICT
  AS $$ SELECT (extract(epoch FROM p_at) * 1000000)::bigint $$;

CREATE TABLE products (
  sku             text PRIMARY KEY CHECK (length(sku) BETWEEN 1 AND 100),
  master_quantity bigint NOT NULL CHECK (master_quantity >= 0),
  version         bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL
);

CREATE TABLE channel_listings (
  channel                text NOT NULL,
  sku                    text NOT NULL REFERENCES products (sku),
  external_ids           jsonb NOT NULL DEFAULT '{}'::jsonb,
  buffer_units           bigint NOT NULL DEFAULT 0 CHECK (buffer_units >= 0),
  max_units              bigint CHECK (max_units >= 0),
  share_percent          integer NOT NULL DEFAULT 100 CHECK (share_percent BETWEEN 0 AND 100),
  zero_below_units       bigint NOT NULL DEFAULT 0 CHECK (zero_below_units >= 0),
  last_pushed_quantity   bigint,
  last_pushed_at         timestamptz,
  last_reported_quantity bigint,
  last_reported_at       timestamptz,
  PRIMARY KEY (sku, channel)
);
CREATE INDEX channel_listings_by_channel ON channel_listings (channel, sku);

CREATE TABLE order_events (
  id                bigserial PRIMARY KEY,
  channel           text NOT NULL,
  external_order_id text NOT NULL CHECK (length(external_order_id) BETWEEN 1 AND 128),
  line_key          text NOT NULL CHECK (length(line_key) BETWEEN 1 AND 64),
  kind              text NOT NULL CHECK (kind IN ('sale', 'cancel', 'refund_restock',
                                                  'refund_no_restock', 'restock', 'adjust')),
  sku               text NOT NULL REFERENCES products (sku),
  quantity          bigint NOT NULL,
  outcome           text NOT NULL CHECK (outcome IN ('applied', 'oversold')),
  applied_units     bigint NOT NULL CHECK (applied_units >= 0),
  oversold_units    bigint NOT NULL CHECK (oversold_units >= 0),
  reason            text NOT NULL DEFAULT '',
  received_at       timestamptz NOT NULL,
  UNIQUE (channel, external_order_id, line_key, kind)
);
CREATE INDEX order_events_by_sku ON order_events (sku, id);

-- The coalescing outbox: at most one job per (channel, sku).
CREATE TABLE sync_jobs (
  channel       text NOT NULL,
  sku           text NOT NULL REFERENCES products (sku),
  priority      integer NOT NULL CHECK (priority BETWEEN 0 AND 1000),
  due_at        timestamptz NOT NULL,
  attempt       integer NOT NULL DEFAULT 0 CHECK (attempt >= 0),
  state         text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'claimed', 'parked')),
  change_seq    bigint NOT NULL DEFAULT 1,
  claim_token   bigint NOT NULL DEFAULT 0,
  claimed_until timestamptz,
  last_error    text NOT NULL DEFAULT '',
  park_reason   text NOT NULL DEFAULT '',
  PRIMARY KEY (channel, sku),
  FOREIGN KEY (sku, channel) REFERENCES channel_listings (sku, channel)
);
CREATE INDEX sync_jobs_claimable ON sync_jobs (channel, state, priority DESC, due_at);

CREATE TABLE sync_log (
  id            bigserial PRIMARY KEY,
  channel       text NOT NULL,
  sku           text NOT NULL,
  quantity_sent bigint NOT NULL,
  http_status   integer NOT NULL,
  outcome       text NOT NULL,
  error         text NOT NULL DEFAULT '',
  attempt       integer NOT NULL,
  latency_ms    bigint NOT NULL,
  at            timestamptz NOT NULL
);
CREATE INDEX sync_log_by_sku ON sync_log (sku, id);

CREATE TABLE alerts (
  id      bigserial PRIMARY KEY,
  channel text,
  sku     text,
  kind    text NOT NULL,
  message text NOT NULL,
  at      timestamptz NOT NULL
);
CREATE INDEX alerts_by_sku ON alerts (sku, id);

-- Amazon JSON_LISTINGS_FEED submissions in flight (used by the Amazon connector).
CREATE TABLE feed_submissions (
  feed_id      text NOT NULL,
  channel      text NOT NULL,
  status       text NOT NULL,
  skus         jsonb NOT NULL,
  submitted_at timestamptz NOT NULL,
  finished_at  timestamptz,
  PRIMARY KEY (channel, feed_id)
);
