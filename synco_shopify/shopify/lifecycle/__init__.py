"""An order's whole life in Odoo: from what Odoo holds and Shopify's order now, the actions
that bring the books up to date (pure; the Odoo writer carries them out)."""
