import { registry } from "@web/core/registry";
import { openShopifyOrders, ROW } from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * An accountant (Shopify User with invoicing rights, no sales rights) opens the Preview of an
 * order not synced yet: the customer, products, invoice with its totals, payments and the
 * custom.odoo_id it would get, read-only; closing it leaves the order as it was (issue 8,
 * point 4). The order's name and figures come from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_preview_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            {
                content: "Open the order not synced yet",
                trigger: `${ROW} td[name=name]:text(${expected.order})`,
                run: "click",
            },
            {
                content: "Its form offers a Preview",
                trigger: ".o_form_view .o_form_statusbar button.o_shopify_preview_button",
                run: "click",
            },
            {
                content: "The preview says the sync would succeed",
                trigger: ".modal .o_shopify_preview .o_shopify_preview_ok",
            },
            {
                content: "It names the customer, and how it was found",
                trigger: `.modal .o_shopify_preview_partner:contains(${expected.customer_how})`,
            },
            {
                content: "It lists the products and how each is matched",
                trigger: ".modal .o_shopify_preview_products tbody tr",
            },
            {
                content: "It shows the invoice the sync would post, with its total",
                trigger: `.modal .o_shopify_preview_document:contains(${expected.invoice}) .o_shopify_preview_totals:contains(${expected.total})`,
            },
            {
                content: "It shows the payment and its journal",
                trigger: `.modal .o_shopify_preview_payments td:contains(${expected.journal})`,
            },
            {
                content: "It says what custom.odoo_id would say",
                trigger: `.modal .o_shopify_preview_metafield:contains(${expected.odoo_id})`,
            },
            {
                content: "Close the preview",
                trigger: ".modal .o_shopify_preview_close",
                run: "click",
            },
            {
                content: "Back on the order, still not synced",
                trigger: "body:not(:has(.modal)) .o_form_view .o_statusbar_status button[data-value=not_synced].o_arrow_button_current",
            },
        ];
    },
});
