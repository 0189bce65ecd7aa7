"""Payments of Shopify's transactions, and the reconciliation of an order's documents.

One payment per successful transaction, dated on its own day in the shop's time zone:
money in (sale, capture) and money back (refund, change). Created and posted for the
whole batch at once; then every open receivable line of the order (invoices, credit
notes, payments) is reconciled, so that exactly Shopify's outstanding amount stays open.
The unique index on the transaction id makes a second payment impossible.

A payment through the gift card gateway is a redemption: the money was received when the
card was sold, and booked on the store's gift card liability; the redemption clears that
liability (its outstanding account is the liability), so the card is revenue only as the
goods it pays for.
"""

GIFT_CARD_GATEWAY = "gift_card"


class OrderPayments:
    def __init__(self, writer):
        self.writer = writer
        self.env = writer.env

    def register(self, batch):
        Payment = self.env["account.payment"]
        wanted = [(p, txn) for p in batch for txn in p.life.payments]
        done = set(Payment.search([("shopify_transaction_gid", "in", [t.transaction_id for _p, t in wanted])])
                   .mapped("shopify_transaction_gid"))
        wanted = [(p, t) for p, t in wanted if t.transaction_id not in done]
        if not wanted:
            return
        resolver = self.writer.resolver
        values, outstanding_accounts = [], []
        for p, txn in wanted:
            journal, inbound_line, outstanding = self.journal(txn.gateway)
            method_line = inbound_line if txn.inbound else resolver.refund_method(journal)
            document = p.invoice or next((move for _doc, move in p.documents), None)
            receivable = document.line_ids.filtered(lambda l: l.account_type == "asset_receivable")[:1]
            outstanding_accounts.append(outstanding)
            values.append({
                "payment_type": "inbound" if txn.inbound else "outbound",
                "partner_type": "customer",
                "partner_id": document.commercial_partner_id.id,
                "amount": float(txn.amount),
                "currency_id": p.currency.id,
                "date": txn.day,
                "journal_id": journal.id,
                "payment_method_line_id": method_line.id,
                "destination_account_id": receivable.account_id.id,
                "memo": f"{p.plan.shopify_name} {txn.kind.lower()} {txn.gateway}".strip(),
                "company_id": self.writer.company.id,
                "shopify_transaction_gid": txn.transaction_id,
                "shopify_order_id": p.record.id,
            })
        payments = Payment.with_context(skip_invoice_sync=True).create(values)
        for payment, account in zip(payments, outstanding_accounts):
            if account:
                # An unmapped gateway the store books on its own outstanding account. Set
                # after create: Odoo computes the field from the payment method on create,
                # and the journal entry is only made when the payment is posted.
                payment.outstanding_account_id = account
        payments.with_context(skip_sale_auto_invoice_send=True).action_post()
        by_order = {}
        for (p, _txn), payment in zip(wanted, payments):
            by_order.setdefault(p, Payment)
            by_order[p] |= payment
        self.reconcile(self.env["shopify.order"].union(*(p.record for p in by_order)))
        for p, order_payments in by_order.items():
            if p.invoice:
                p.invoice.matched_payment_ids += order_payments.filtered(lambda pay: pay.payment_type == "inbound")
            p.payments = (p.payments or Payment) | order_payments

    def journal(self, gateway):
        """(journal, incoming method line, outstanding account) of a gateway's payments: the
        resolver's; a gift card redemption through a mapped gateway clears the store's gift
        card liability instead of waiting on the journal's outstanding account (the journal
        only carries the entry: the money moves between the liability and the receivable,
        never through a bank). An unmapped gift card gateway follows the store's policy for
        unmapped gateways, as any other."""
        journal, method_line, outstanding = self.writer.resolver.payment_journal(gateway)
        liability = self.writer.store.gift_card_account_id
        if gateway == GIFT_CARD_GATEWAY and liability and not outstanding:
            outstanding = liability
        return journal, method_line, outstanding

    def reconcile(self, records):
        """Every open receivable line of the orders' posted documents and payments, matched
        per order and account as Odoo's own reconciliation does (oldest first). One search
        for the whole batch."""
        lines = self.env["account.move.line"].search([
            ("parent_state", "=", "posted"), ("reconciled", "=", False), ("account_type", "=", "asset_receivable"),
            "|", ("move_id.shopify_order_id", "in", records.ids), ("payment_id.shopify_order_id", "in", records.ids),
        ])
        groups = {}
        for line in lines:
            order = line.move_id.shopify_order_id or line.payment_id.shopify_order_id
            groups.setdefault((order.id, line.account_id.id), []).append(line.id)
        Line = self.env["account.move.line"]
        for ids in groups.values():
            group = Line.browse(ids)
            if any(l.balance > 0 for l in group) and any(l.balance < 0 for l in group):
                group.reconcile()
