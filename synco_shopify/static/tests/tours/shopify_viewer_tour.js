import { registry } from "@web/core/registry";
import { clickTab, expectRows, openShopifyOrders, ROW, ROW_IS } from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * A Shopify User without sales or invoicing rights clicks the Odoo ID of a synced order:
 * a read-only summary of what the sync made opens, never an access error (issue 12,
 * point 11). Counts come from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_viewer_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            ...expectRows(expected.all),
            ...clickTab("filter_synced", "Synced", expected.synced, ROW_IS.synced),
            {
                content: "Click the Odoo ID of a synced order",
                trigger: `${ROW}:has(td[name=name]:text(${expected.order})) td[name=odoo_record_ref] a.o_shopify_odoo_ref:text(${expected.odoo_ref})`,
                run: "click",
            },
            {
                content: "A read-only summary of the order in Odoo opens",
                trigger: `.modal .o_shopify_order_summary div[name=odoo_record_ref]:contains(${expected.odoo_ref})`,
            },
            {
                content: "It compares Shopify's figures with Odoo's",
                trigger: ".modal .o_shopify_order_summary div[name=comparison_html] table",
            },
            {
                content: "No access error was shown",
                trigger: "body:not(:has(.o_error_dialog))",
            },
            {
                content: "Close the summary",
                trigger: ".modal .modal-footer button:contains(Close)",
                run: "click",
            },
            {
                content: "Back on the list",
                trigger: `body:not(:has(.modal)) ${ROW}`,
            },
        ];
    },
});
