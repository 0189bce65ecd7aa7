"""The reference: what an integrator would write by hand with Odoo's ORM, one order at a
time, with Odoo's defaults (tracking, mail), and no Shopify-specific care for exactness:
partner, sale order, confirm, invoice, post, register payment."""
from odoo import Command

from odoo.addons.synco_shopify.shopify.reading.order import parse_order


def plain_loop(env, payloads, commit):
    Partner = env["res.partner"]
    Product = env["product.product"]
    taxes = {}
    bank = env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", env.company.id)], limit=1)
    template = env.company.account_sale_tax_id
    for payload in payloads:
        order = parse_order(payload)
        customer = order.customer
        address = order.billing_address or order.shipping_address
        country = address and address.country_code and env["res.country"].search(
            [("code", "=", address.country_code)], limit=1)
        partner = Partner.create({
            "name": (customer and customer.display_name) or order.header.email or "Guest",
            "email": order.header.email,
            "street": address and address.address1,
            "city": address and address.city,
            "zip": address and address.zip,
            "country_id": country.id if country else False,
        })
        lines = []
        for item in order.line_items:
            if not item.current_quantity:
                continue
            product = item.sku and Product.search([("default_code", "=", item.sku)], limit=1)
            if not product:
                product = Product.create({"name": item.title, "default_code": item.sku, "type": "consu",
                                          "invoice_policy": "order", "taxes_id": [Command.clear()]})
            tax_ids = []
            for tax_line in item.tax_lines:
                rate = float(tax_line.key.rate * 100)
                if rate not in taxes:
                    taxes[rate] = env["account.tax"].search(
                        [("type_tax_use", "=", "sale"), ("amount", "=", rate),
                         ("company_id", "=", env.company.id)], limit=1) or template.copy(
                        {"name": f"Plain {rate}%", "amount": rate})
                tax_ids.append(taxes[rate].id)
            gross = item.unit_price * item.current_quantity
            discount = float(item.discount_total / gross * 100) if gross else 0.0
            lines.append(Command.create({
                "product_id": product.id, "product_uom_qty": item.current_quantity,
                "price_unit": float(item.unit_price), "discount": discount,
                "tax_ids": [Command.set(tax_ids)],
            }))
        sale_order = env["sale.order"].create({"partner_id": partner.id, "order_line": lines,
                                               "client_order_ref": order.header.name})
        sale_order.action_confirm()
        invoice = sale_order._create_invoices()
        invoice.action_post()
        paid = sum(t.amount for t in order.transactions
                   if t.kind in ("SALE", "CAPTURE") and t.status == "SUCCESS")
        if paid:
            env["account.payment.register"].with_context(
                active_model="account.move", active_ids=invoice.ids,
            ).create({"journal_id": bank.id, "amount": float(paid)})._create_payments()
        commit()
