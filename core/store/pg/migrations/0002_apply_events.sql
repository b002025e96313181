-- invsync_apply_events: applies a batch of order events in one statement (one round trip, one
-- transaction). Events are taken in (sku, position) order so concurrent batches lock product rows
-- in the same order and cannot deadlock; order within a SKU is the caller's order.
-- Per event: unknown SKU -> 'unknown_sku' (nothing written); key seen before -> 'duplicate';
-- otherwise the event row is written, the product row locked and changed (never below zero:
-- what is missing is recorded as oversold_units), and a push job upserted for every listing.
-- The rules mirror domain::compute_event_effect and the MemoryStore (contract-tested).
CREATE FUNCTION invsync_apply_events(p_events jsonb, p_now_us bigint)
RETURNS TABLE (idx integer, outcome text, applied_units bigint, oversold_units bigint,
               master_after bigint)
LANGUAGE plpgsql AS $$
DECLARE
  e          record;
  v_now      timestamptz := invsync_ts(p_now_us);
  v_id       bigint;
  v_master   bigint;
  v_sale     bigint;
  v_returned bigint;
  v_take     bigint;
  v_delta    bigint;
  v_priority integer;
BEGIN
  FOR e IN
    SELECT * FROM jsonb_to_recordset(p_events)
      AS x(i integer, channel text, order_id text, line_key text, kind text, sku text,
           qty bigint, reason text)
    ORDER BY x.sku, x.i
  LOOP
    idx := e.i;
    applied_units := 0;
    oversold_units := 0;
    PERFORM 1 FROM products p WHERE p.sku = e.sku;
    IF NOT FOUND THEN
      outcome := 'unknown_sku';
      master_after := 0;
      RETURN NEXT;
      CONTINUE;
    END IF;

    v_id := NULL;
    INSERT INTO order_events AS oe (channel, external_order_id, line_key, kind, sku, quantity,
                                    outcome, applied_units, oversold_units, reason, received_at)
    VALUES (e.channel, e.order_id, e.line_key, e.kind, e.sku, e.qty, 'applied', 0, 0,
            e.reason, v_now)
    ON CONFLICT (channel, external_order_id, line_key, kind) DO NOTHING
    RETURNING oe.id INTO v_id;

    -- The row lock that serialises every change of this SKU, held until commit. NO KEY UPDATE,
    -- not UPDATE: the event insert above holds KEY SHARE on this row (foreign key), and
    -- upgrading that to FOR UPDATE deadlocks two concurrent sales of one SKU.
    SELECT p.master_quantity INTO v_master FROM products p WHERE p.sku = e.sku FOR NO KEY UPDATE;
    IF v_id IS NULL THEN
      outcome := 'duplicate';
      master_after := v_master;
      RETURN NEXT;
      CONTINUE;
    END IF;

    IF e.kind = 'sale' OR (e.kind = 'adjust' AND e.qty < 0) THEN
      v_take := LEAST(abs(e.qty), v_master);
      v_delta := -v_take;
      applied_units := v_take;
      oversold_units := abs(e.qty) - v_take;
    ELSIF e.kind IN ('cancel', 'refund_restock') THEN
      SELECT o.applied_units INTO v_sale FROM order_events o
       WHERE o.channel = e.channel AND o.external_order_id = e.order_id
         AND o.line_key = e.line_key AND o.kind = 'sale';
      IF FOUND THEN
        SELECT COALESCE(sum(o.applied_units), 0) INTO v_returned FROM order_events o
         WHERE o.channel = e.channel AND o.external_order_id = e.order_id
           AND o.line_key = e.line_key AND o.kind IN ('cancel', 'refund_restock')
           AND o.id <> v_id;
        v_delta := GREATEST(0, LEAST(e.qty, v_sale - v_returned));
      ELSE
        v_delta := e.qty;  -- the cancel overtook its order: the late sale will net it out
      END IF;
      applied_units := v_delta;
    ELSIF e.kind = 'refund_no_restock' THEN
      v_delta := 0;
    ELSE  -- restock, positive adjust
      v_delta := e.qty;
      applied_units := v_delta;
    END IF;

    outcome := CASE WHEN oversold_units > 0 THEN 'oversold' ELSE 'applied' END;
    IF v_delta <> 0 THEN
      UPDATE products p
         SET master_quantity = p.master_quantity + v_delta, version = p.version + 1,
             updated_at = v_now
       WHERE p.sku = e.sku
      RETURNING p.master_quantity INTO master_after;
    ELSE
      master_after := v_master;
    END IF;
    UPDATE order_events o
       SET outcome = invsync_apply_events.outcome,
           applied_units = invsync_apply_events.applied_units,
           oversold_units = invsync_apply_events.oversold_units
     WHERE o.id = v_id;

    v_priority := CASE WHEN master_after >= 1000 THEN 0 ELSE 1000 - master_after::integer END;
    INSERT INTO sync_jobs AS j (channel, sku, priority, due_at)
    SELECT l.channel, l.sku, v_priority, v_now
      FROM channel_listings l WHERE l.sku = e.sku ORDER BY l.channel
    ON CONFLICT (channel, sku) DO UPDATE
       SET priority = GREATEST(j.priority, EXCLUDED.priority),
           due_at = CASE WHEN j.attempt > 0 THEN j.due_at ELSE LEAST(j.due_at, EXCLUDED.due_at) END,
           change_seq = j.change_seq + 1;
    RETURN NEXT;
  END LOOP;
END
$$;
