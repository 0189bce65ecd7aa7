"""The reconciliation's refresh, in SQL: a month of 10,000 orders in a few statements
instead of an ORM loop over 10,000 orders and their documents.

Shopify's side, per order (the figures Odoo holds of Shopify):
* subtotal, discounts, shipping, tax and total: Shopify's figures now, as the last header
  import or sync stored them (shopify_totals_json, the "Shopify says" of the order's form);
* tax per tax, tips, payments per gateway and the original total: the order as last synced
  (payload_json). What changed in Shopify since that sync shows as tax "Not broken down"
  (the current tax less the taxes of the synced payload) and as refunds (the original
  total less the current one); an order never synced has no breakdown, no tip and no
  payments known to Odoo.
Odoo's side is read as the order form's comparison reads it (comparison.py): its live
invoices less its live credit notes, or its sale order while nothing is invoiced.
"""

# The planner cannot know how many taxes and transactions an order's JSON holds (it
# guesses 100 each): its cost estimates make PostgreSQL compile the statements with JIT,
# 14 s of compiling for a 1 s query on a month of 10,000 orders. Off for this transaction.
SCOPE = """
SET LOCAL jit = off;
DROP TABLE IF EXISTS synco_recon_scope;
CREATE TEMP TABLE synco_recon_scope ON COMMIT DROP AS
SELECT o.id AS order_id, o.name, o.sync_state, o.sync_error, o.eligible,
       o.odoo_record_ref, o.invoice_ref,
       (COALESCE(o.processed_at, o.created_at) AT TIME ZONE 'UTC' AT TIME ZONE %(tz)s)::date AS shop_date,
       COALESCE(o.currency_id, %(company_currency)s) AS currency_id,
       COALESCE(o.shopify_totals_json, '{}'::jsonb) AS t,
       -- Only what is read of the synced payload (12 kB an order otherwise rides along).
       CASE WHEN jsonb_typeof(j.p -> 'currentTaxLines') = 'array' THEN j.p -> 'currentTaxLines'
            ELSE '[]'::jsonb END AS p_taxes,
       CASE WHEN jsonb_typeof(j.p -> 'transactions') = 'array' THEN j.p -> 'transactions'
            ELSE '[]'::jsonb END AS p_transactions,
       COALESCE((j.p ->> 'test')::boolean, false) AS p_test,
       COALESCE((j.p -> 'totalTipReceivedSet' -> %(side)s ->> 'amount')::numeric, 0) AS p_tip,
       (j.p -> 'totalPriceSet' -> %(side)s ->> 'amount')::numeric AS p_total_price,
       COALESCE((o.shopify_totals_json ->> 'taxes_included')::boolean, false) AS taxes_included,
       so.id AS sale_order_id
  FROM shopify_order o
  LEFT JOIN sale_order so ON so.id = o.sale_order_id AND so.state <> 'cancel'
  LEFT JOIN LATERAL (SELECT o.payload_json::jsonb AS p WHERE o.payload_json LIKE '{%%') j ON true
 WHERE o.store_id = %(store)s
   AND COALESCE(o.processed_at, o.created_at) >= %(start)s
   AND COALESCE(o.processed_at, o.created_at) < %(end)s;
CREATE INDEX ON synco_recon_scope (order_id);
ANALYZE synco_recon_scope;
"""

# Odoo's documents: live invoices and credit notes (sign +1 / -1); an order with a live
# invoice is read from its moves, else from its live sale order.
FIGURES = """
DROP TABLE IF EXISTS synco_recon_figures;
CREATE TEMP TABLE synco_recon_figures ON COMMIT DROP AS
WITH moves AS (
    SELECT m.id, m.shopify_order_id AS order_id, m.move_type, m.reversed_entry_id,
           m.amount_tax, m.amount_total, CASE m.move_type WHEN 'out_invoice' THEN 1 ELSE -1 END AS s
      FROM account_move m JOIN synco_recon_scope sc ON sc.order_id = m.shopify_order_id
     WHERE m.move_type IN ('out_invoice', 'out_refund') AND m.state <> 'cancel'
), invoiced AS (
    SELECT DISTINCT order_id FROM moves WHERE move_type = 'out_invoice'
), doc_lines AS (
    -- A credit note made by Odoo's reversal has lines without their Shopify kind: the kind
    -- of the reversed invoice's line of the same product (as comparison.py reads it).
    SELECT mv.order_id, mv.s, COALESCE(l.shopify_line_kind, rk.kind) AS kind,
           CASE WHEN sc.taxes_included THEN l.price_total ELSE l.price_subtotal END AS amount,
           l.price_unit * l.quantity AS gross, COALESCE(l.discount, 0) AS discount
      FROM moves mv
      JOIN invoiced USING (order_id)
      JOIN synco_recon_scope sc ON sc.order_id = mv.order_id
      JOIN account_move_line l ON l.move_id = mv.id AND l.display_type = 'product'
      LEFT JOIN LATERAL (
          SELECT r.shopify_line_kind AS kind FROM account_move_line r
           WHERE r.move_id = mv.reversed_entry_id AND r.product_id = l.product_id
             AND r.shopify_line_kind IS NOT NULL ORDER BY r.id LIMIT 1) rk ON l.shopify_line_kind IS NULL
    UNION ALL
    SELECT sc.order_id, 1, sol.shopify_line_kind,
           CASE WHEN sc.taxes_included THEN sol.price_total ELSE sol.price_subtotal END,
           sol.price_unit * sol.product_uom_qty, COALESCE(sol.discount, 0)
      FROM synco_recon_scope sc
      JOIN sale_order_line sol ON sol.order_id = sc.sale_order_id AND sol.display_type IS NULL
     WHERE sc.order_id NOT IN (SELECT order_id FROM invoiced)
), odoo_items AS (
    SELECT order_id,
           SUM(s * amount) FILTER (WHERE kind IN ('product', 'gift_card', 'discount')) AS subtotal,
           COALESCE(-SUM(s * amount) FILTER (WHERE kind IN ('discount', 'shipping_discount')), 0)
             + COALESCE(SUM(s * (gross - amount)) FILTER (WHERE discount <> 0), 0) AS discounts,
           SUM(s * amount) FILTER (WHERE kind IN ('shipping', 'shipping_discount')) AS shipping,
           SUM(s * amount) FILTER (WHERE kind = 'tip') AS tips
      FROM doc_lines GROUP BY order_id
), odoo_docs AS (
    SELECT order_id, SUM(s * amount_tax) AS tax, SUM(s * amount_total) AS total,
           SUM(amount_total) FILTER (WHERE move_type = 'out_refund') AS refunds
      FROM moves JOIN invoiced USING (order_id) GROUP BY order_id
    UNION ALL
    SELECT sc.order_id, so.amount_tax, so.amount_total, 0
      FROM synco_recon_scope sc JOIN sale_order so ON so.id = sc.sale_order_id
     WHERE sc.order_id NOT IN (SELECT order_id FROM invoiced)
), odoo_taxes AS (
    -- Tax lines, named as Shopify names the tax (title and rate, from the store's tax
    -- mapping), so that each meets Shopify's line of the same tax.
    SELECT mv.order_id,
           COALESCE(tm.title || ' ' || trim_scale(round(tm.rate::numeric * 100, 4)) || '%%',
                    tx.name ->> 'en_US') AS detail,
           SUM(-l.amount_currency) AS amount
      FROM moves mv JOIN invoiced USING (order_id)
      JOIN account_move_line l ON l.move_id = mv.id AND l.tax_line_id IS NOT NULL
      JOIN account_tax tx ON tx.id = l.tax_line_id
      LEFT JOIN LATERAL (
          SELECT title, rate FROM shopify_tax_mapping
           WHERE store_id = %(store)s AND tax_id = l.tax_line_id ORDER BY id LIMIT 1) tm ON true
     GROUP BY 1, 2
), shopify_taxes AS (
    SELECT sc.order_id,
           (tl ->> 'title') || ' ' || trim_scale(round(COALESCE((tl ->> 'rate')::numeric,
                                                        (tl ->> 'ratePercentage')::numeric / 100) * 100, 4)) || '%%'
             AS detail,
           SUM((tl -> 'priceSet' -> %(side)s ->> 'amount')::numeric) AS amount
      FROM synco_recon_scope sc, jsonb_array_elements(sc.p_taxes) tl
     GROUP BY 1, 2
), shopify_txns AS (
    SELECT sc.order_id, tx ->> 'id' AS gid, COALESCE(NULLIF(tx ->> 'gateway', ''), 'unknown') AS gateway,
           CASE WHEN tx ->> 'kind' IN ('SALE', 'CAPTURE') THEN 1 ELSE -1 END
             * abs((tx -> 'amountSet' -> %(side)s ->> 'amount')::numeric) AS amount,
           tx ->> 'status' = 'SUCCESS' AND tx ->> 'kind' IN ('SALE', 'CAPTURE', 'REFUND', 'CHANGE')
             AND (NOT COALESCE((tx ->> 'test')::boolean, false) OR sc.p_test)
             AS counted
      FROM synco_recon_scope sc, jsonb_array_elements(sc.p_transactions) tx
), odoo_payments AS (
    -- A payment's gateway is its Shopify transaction's; a payment made by hand, the
    -- gateway mapped to its journal.
    SELECT ap.shopify_order_id AS order_id,
           COALESCE(st.gateway, gm.gateway, '?') AS detail,
           SUM(CASE ap.payment_type WHEN 'inbound' THEN ap.amount ELSE -ap.amount END) AS amount
      FROM account_payment ap JOIN synco_recon_scope sc ON sc.order_id = ap.shopify_order_id
      LEFT JOIN shopify_txns st ON st.order_id = ap.shopify_order_id AND st.gid = ap.shopify_transaction_gid
      LEFT JOIN LATERAL (
          SELECT gateway FROM shopify_gateway_mapping
           WHERE store_id = %(store)s AND journal_id = ap.journal_id ORDER BY gateway LIMIT 1) gm ON true
     WHERE ap.state NOT IN ('draft', 'canceled', 'rejected')
     GROUP BY 1, 2
), raw (order_id, measure, detail, shopify, odoo) AS (
    SELECT order_id, 'orders', '', 1, 0 FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'gross', '',
           COALESCE((t ->> 'subtotal')::numeric, 0) + COALESCE((t ->> 'discounts')::numeric, 0), 0
      FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'discounts', '', COALESCE((t ->> 'discounts')::numeric, 0), 0 FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'shipping', '', COALESCE((t ->> 'shipping')::numeric, 0), 0 FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'total', '', COALESCE((t ->> 'total')::numeric, 0), 0 FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'tips', '', p_tip, 0 FROM synco_recon_scope
    UNION ALL
    -- Refunds and edits since the sale: the original total less the current one.
    SELECT order_id, 'refunds', '',
           COALESCE(p_total_price - (t ->> 'total')::numeric, 0), 0
      FROM synco_recon_scope
    UNION ALL
    SELECT order_id, 'tax', detail, amount, 0 FROM shopify_taxes
    UNION ALL
    SELECT sc.order_id, 'tax', %(not_broken_down)s,
           COALESCE((sc.t ->> 'tax')::numeric, 0) - COALESCE(SUM(st.amount), 0), 0
      FROM synco_recon_scope sc LEFT JOIN shopify_taxes st ON st.order_id = sc.order_id
     GROUP BY sc.order_id, sc.t
    UNION ALL
    SELECT order_id, 'payments', gateway, SUM(amount), 0 FROM shopify_txns WHERE counted GROUP BY 1, 3
    UNION ALL
    SELECT order_id, 'orders', '', 0, 1 FROM odoo_docs GROUP BY order_id
    UNION ALL
    SELECT order_id, 'gross', '', 0, COALESCE(subtotal, 0) + discounts FROM odoo_items
    UNION ALL
    SELECT order_id, 'discounts', '', 0, discounts FROM odoo_items
    UNION ALL
    SELECT order_id, 'shipping', '', 0, COALESCE(shipping, 0) FROM odoo_items
    UNION ALL
    SELECT order_id, 'tips', '', 0, COALESCE(tips, 0) FROM odoo_items
    UNION ALL
    SELECT order_id, 'total', '', 0, total FROM odoo_docs
    UNION ALL
    SELECT order_id, 'refunds', '', 0, COALESCE(refunds, 0) FROM odoo_docs
    UNION ALL
    SELECT order_id, 'tax', detail, 0, amount FROM odoo_taxes
    UNION ALL
    -- A sale order's tax is not broken down by tax (it has no tax lines); an invoice's is.
    SELECT d.order_id, 'tax', %(not_broken_down)s, 0, d.tax - COALESCE(SUM(ot.amount), 0)
      FROM odoo_docs d LEFT JOIN odoo_taxes ot ON ot.order_id = d.order_id
     GROUP BY d.order_id, d.tax
    UNION ALL
    SELECT order_id, 'payments', detail, 0, amount FROM odoo_payments
)
SELECT order_id, measure, detail, SUM(shopify) AS shopify, SUM(odoo) AS odoo, SUM(odoo) - SUM(shopify) AS diff
  FROM raw GROUP BY order_id, measure, detail
HAVING SUM(shopify) <> 0 OR SUM(odoo) <> 0 OR measure IN ('orders', 'total');
CREATE INDEX ON synco_recon_figures (order_id);
ANALYZE synco_recon_figures;
"""

# Status per order. Whether an order differs is read on the order's figures (each measure
# summed over its taxes or gateways): how a tax or a gateway is split is the mappings'
# choice, and shows in the pivot without making the order "differ".
ORDERS = """
WITH per_measure AS (
    SELECT order_id, measure, SUM(shopify) AS shopify, SUM(odoo) AS odoo, SUM(diff) AS diff
      FROM synco_recon_figures GROUP BY order_id, measure
), verdict AS (
    SELECT order_id,
           bool_or(abs(diff) >= 0.005) FILTER (WHERE measure <> 'orders') AS differs,
           bool_or(odoo <> 0) FILTER (WHERE measure = 'orders') AS has_documents,
           string_agg(%(measure_label)s || ': ' || shopify || ' / ' || odoo || ' (' || diff || ')',
                      E'\\n' ORDER BY measure)
             FILTER (WHERE abs(diff) >= 0.005 AND measure <> 'orders') AS differences,
           SUM(shopify) FILTER (WHERE measure = 'total') AS shopify_total,
           SUM(odoo) FILTER (WHERE measure = 'total') AS odoo_total
      FROM per_measure GROUP BY order_id
)
INSERT INTO shopify_reconciliation_order
    (reconciliation_id, company_id, store_id, order_id, name, shop_date, status, sync_state, sync_error,
     odoo_ref, currency_id, shopify_total, odoo_total, difference, differences,
     create_uid, create_date, write_uid, write_date)
SELECT %(rec)s, r.company_id, %(store)s, sc.order_id, sc.name, sc.shop_date,
       CASE WHEN sc.sync_state = 'failed' THEN 'failed'
            WHEN NOT COALESCE(v.has_documents, false)
                 THEN CASE WHEN sc.eligible OR sc.sync_state IN ('synced', 'changed', 'in_progress')
                           THEN 'missing' ELSE 'excluded' END
            WHEN v.differs THEN 'different'
            ELSE 'matched' END,
       sc.sync_state, sc.sync_error,
       concat_ws(', ', sc.odoo_record_ref, NULLIF(sc.invoice_ref, sc.odoo_record_ref)),
       sc.currency_id, COALESCE(v.shopify_total, 0), COALESCE(v.odoo_total, 0),
       COALESCE(v.odoo_total, 0) - COALESCE(v.shopify_total, 0),
       CASE WHEN COALESCE(v.has_documents, false) THEN v.differences END,
       %(uid)s, now() AT TIME ZONE 'UTC', %(uid)s, now() AT TIME ZONE 'UTC'
  FROM synco_recon_scope sc
  JOIN shopify_reconciliation r ON r.id = %(rec)s
  LEFT JOIN verdict v ON v.order_id = sc.order_id;
"""

LINES = """
INSERT INTO shopify_reconciliation_line
    (reconciliation_id, order_row_id, shop_date, status, measure, detail,
     shopify_amount, odoo_amount, difference, create_date, write_date)
SELECT %(rec)s, ro.id, ro.shop_date, ro.status, f.measure, NULLIF(f.detail, ''),
       f.shopify, f.odoo, f.diff, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM synco_recon_figures f
  JOIN shopify_reconciliation_order ro ON ro.reconciliation_id = %(rec)s AND ro.order_id = f.order_id;
SET LOCAL jit TO DEFAULT;
"""


def measure_label_sql(measures):
    """A CASE giving each measure's label, for the order's "What differs" text."""
    whens = " ".join("WHEN '%s' THEN '%s'" % (key, label.replace("'", "''")) for key, label in measures)
    return f"(CASE measure {whens} END)"


def refresh_sql():
    from .shopify_reconciliation_line import MEASURES

    return (SCOPE, FIGURES, ORDERS.replace("%(measure_label)s", measure_label_sql(MEASURES)), LINES)
