"""From a parsed order to the plan of what Odoo should hold, checked against Shopify's figures."""
