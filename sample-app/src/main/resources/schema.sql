-- Serialise concurrent first starts against one shared database: CREATE TABLE IF NOT
-- EXISTS alone can race. The script runs on one connection, so a session lock holds.
SELECT pg_advisory_lock(727300001);

CREATE TABLE IF NOT EXISTS retailers (
    id           BIGSERIAL PRIMARY KEY,
    code         TEXT        NOT NULL UNIQUE,
    name         TEXT        NOT NULL,
    email        TEXT,
    total_orders INTEGER     NOT NULL DEFAULT 0,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE IF NOT EXISTS orders (
    id          BIGSERIAL PRIMARY KEY,
    retailer_id BIGINT         NOT NULL REFERENCES retailers (id),
    amount      NUMERIC(12, 2) NOT NULL CHECK (amount > 0),
    currency    CHAR(3)        NOT NULL DEFAULT 'USD',
    status      TEXT           NOT NULL DEFAULT 'PENDING',
    reference   TEXT UNIQUE,
    created_at  TIMESTAMPTZ    NOT NULL DEFAULT now()
);

CREATE INDEX IF NOT EXISTS orders_newest_first ON orders (created_at DESC, id DESC);

CREATE INDEX IF NOT EXISTS orders_by_retailer ON orders (retailer_id, created_at DESC);

SELECT pg_advisory_unlock(727300001);
