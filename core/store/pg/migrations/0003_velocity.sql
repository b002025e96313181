-- invsync schema, version 3: sales velocity, the second push priority after low stock
-- (DESIGN.md "Outbound sync": the top 20% of SKUs by trailing-7-day units go first).
-- refresh_velocity rewrites sku_velocity with the SKUs that are hot now; claim_due puts a job of
-- a hot SKU before a cold one of equal stock priority. A separate table, not a products column,
-- so an hourly refresh never locks the product rows that every sale locks.

CREATE TABLE sku_velocity (
  sku          text PRIMARY KEY REFERENCES products (sku),
  units_sold   bigint NOT NULL CHECK (units_sold > 0),
  refreshed_at timestamptz NOT NULL
);

-- The refresh sums sale units per SKU over a time range: an index-only range scan of this,
-- whatever the size of the event history before the window.
CREATE INDEX order_events_sales_by_time ON order_events (received_at, sku, quantity)
  WHERE kind = 'sale';
