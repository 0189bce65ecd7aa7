{
    "name": "Synco for Odoo: Shopify orders",
    "summary": "Bring Shopify orders into Odoo as sale orders, invoices and payments",
    "version": "19.0.1.0.0",
    "category": "Sales/Sales",
    "license": "LGPL-3",
    "author": "Synco",
    "website": "https://github.com/synco/synco_shopify",
    "depends": ["sale_management", "sale_stock", "account", "queue_job"],
    "external_dependencies": {"python": ["requests"]},
    "data": [
        "security/synco_security.xml",
        "security/ir.model.access.csv",
        "data/shopify_status_data.xml",
    ],
    "installable": True,
    "application": True,
}
