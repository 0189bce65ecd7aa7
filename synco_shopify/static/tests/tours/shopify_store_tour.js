import { registry } from "@web/core/registry";
import { openShopifyOrders, openStore } from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * A Shopify Manager opens the store: its shop domain and API address are read-only to
 * them (only administrators redirect the credentials), and Test connection says what
 * it found: the shop's name, currency, time zone and plan (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_store_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            ...openStore("Test store"),
            {
                content: "The shop domain is shown, not editable",
                trigger: `.o_form_view div[name=shop_domain].o_readonly_modifier:contains(${expected.domain})`,
            },
            {
                content: "No input for the shop domain",
                trigger: ".o_form_view:not(:has(div[name=shop_domain] input))",
            },
            {
                content: "Nor for the API address",
                trigger: ".o_form_view div[name=api_base_url].o_readonly_modifier:not(:has(input))",
            },
            {
                content: "Test the connection",
                trigger: ".o_form_view .o_form_statusbar button[name=action_test_connection]",
                run: "click",
            },
            {
                content: "It says what it found: shop, currency, time zone, plan",
                trigger: `.o_notification:has(.o_notification_bar.bg-success):contains(${expected.shop}):contains(${expected.currency}):contains(${expected.timezone}):contains(${expected.plan})`,
            },
            {
                content: "The form says it too",
                trigger: `.o_shopify_connected:contains(${expected.plan})`,
            },
        ];
    },
});
