"""The documents of an order's later life: credit notes for refunds, further invoices and
credit notes for edits, a sale order's lines changed by an edit before it was invoiced, and
a cancellation. Each move carries its Shopify source (``shopify_source_gid``), which a
unique index makes the only one of its kind."""
from odoo import Command, _


class OrderDocuments:
    def __init__(self, writer):
        self.writer = writer
        self.env = writer.env

    def move_header(self, p, doc):
        """The values every Shopify document shares, for ``doc`` (a lifecycle Document)."""
        values = {
            "move_type": doc.move_type,
            "partner_id": (p.invoice.partner_id if p.invoice else p.invoice_address).id,
            "company_id": self.writer.company.id,
            "currency_id": p.currency.id,
            "invoice_date": doc.date,
            "ref": doc.label,
            "invoice_origin": p.plan.shopify_name,
            "payment_reference": p.plan.shopify_name,
            "invoice_payment_term_id": self.writer.resolver.immediate_payment_term().id,
            "shopify_order_id": p.record.id,
            "shopify_source_gid": doc.key,
            "shopify_document_kind": doc.kind,
        }
        if doc.move_type == "out_refund" and p.invoice:
            values["reversed_entry_id"] = p.invoice.id
        if doc.note:
            values["narration"] = doc.note
        if doc.restocked is not None:
            values["shopify_restocked"] = doc.restocked
        return values

    def create_moves(self, batch):
        """Credit notes and edit documents of many orders, in one create."""
        from .order_writer import _invoice_line

        # Not linked to the sale order's lines: Odoo would count a credited unit as one to
        # invoice again, and the sale order's one invoice is the sale's.
        line_values = self.writer._line_values
        values = [{
            **self.move_header(p, doc),
            "invoice_line_ids": [Command.create(_invoice_line(line_values(line, p.currency, doc.move_type)))
                                 for line in doc.lines],
        } for p, doc in batch]
        moves = self.env["account.move"].create(values)
        for (p, doc), move in zip(batch, moves):
            p.documents.append((doc, move))

    def _sale_lines(self, p):
        if not p.sale_order:
            return {}
        return {(line.shopify_line_gid, line.shopify_line_kind): line
                for line in p.sale_order.order_line if line.shopify_line_kind}

    def update_sale_order_lines(self, p):
        """An edit before the sale was invoiced changes the sale itself: the order's lines
        become the plan's (quantities, amounts and taxes), new lines are added, lines the
        edit removed keep quantity 0 (a confirmed order's lines cannot be deleted)."""
        order = p.sale_order
        locked = order.locked
        if locked:
            order.action_unlock()
        existing = self._sale_lines(p)
        from .order_writer import _sale_line

        commands, seen = [], set()
        for vals in self.writer.sale_order_values(p):
            key = (vals["shopify_line_gid"], vals["shopify_line_kind"])
            seen.add(key)
            line = existing.get(key)
            values = _sale_line(vals)
            if line:
                commands.append(Command.update(line.id, {k: values[k] for k in (
                    # The name too: it says the line's discount, which an edit changes.
                    "name", "product_uom_qty", "price_unit", "discount", "tax_ids", "extra_tax_data")
                    if k in values}))
            else:
                commands.append(Command.create(values))
        for key, line in existing.items():
            if key not in seen:
                commands.append(Command.update(line.id, {"product_uom_qty": 0, "extra_tax_data": False,
                                                         "tax_ids": [Command.clear()]}))
        order.write({"order_line": commands})
        if locked:
            order.action_lock()
        self.writer._check_totals(p, order, _("sale order"), self.writer.sale_order_plan_lines(p.plan))

    def cancel_or_flag_sale_order(self, p):
        """Cancelled in Shopify before anything was invoiced: the sale order is cancelled.
        After invoicing, Shopify's refunds are the credit notes, and the order says so."""
        order = p.sale_order
        if not order:
            return
        if p.life.cancel_sale_order and order.state != "cancel":
            if order.locked:
                order.action_unlock()
            order._action_cancel()
        elif p.life.flag_cancelled and not order.shopify_cancelled:
            order.shopify_cancelled = True
