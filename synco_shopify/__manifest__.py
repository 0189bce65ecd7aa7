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
        "data/product_data.xml",
        "data/queue_job_data.xml",
        "data/ir_cron_data.xml",
        "views/shopify_order_views.xml",
        "views/shopify_store_views.xml",
        "views/order_import_wizard_views.xml",
        "views/sale_order_views.xml",
        "views/menus.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "synco_shopify/static/src/**/*",
        ],
        "web.assets_tests": [
            "synco_shopify/static/tests/tours/**/*",
        ],
    },
    "installable": True,
    "application": True,
}
