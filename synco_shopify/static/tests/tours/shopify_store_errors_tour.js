import { registry } from "@web/core/registry";
import { openShopifyOrders } from "@synco_shopify/../tests/tours/synco_tour_steps";

/**
 * A Shopify User opens the orders list while one store is refused by Shopify (issue 9,
 * point 2): a banner above the list names that store with what Shopify answered, and
 * leads to its form. The store's name comes from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_store_errors_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            ...openShopifyOrders(),
            {
                content: "The banner names the store Shopify refuses, with its answer",
                trigger: `.o_shopify_store_errors .o_shopify_store_error:contains(${expected.store}):contains(${expected.message})`,
            },
            {
                content: "Only that store",
                trigger: ".o_shopify_store_errors:not(:has(.o_shopify_store_error + .o_shopify_store_error))",
            },
            {
                content: "Its name leads to the store",
                trigger: `.o_shopify_store_errors a:text(${expected.store})`,
                run: "click",
            },
            {
                content: "The store's form, which says it too",
                trigger: `.o_form_view .o_field_widget[name=name]:contains(${expected.store}), .o_form_view input#name_0`,
            },
        ];
    },
});
