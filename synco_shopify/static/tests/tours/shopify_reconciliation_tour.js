import { registry } from "@web/core/registry";

/**
 * An accountant (no Shopify group) opens Invoicing > Reporting > Shopify reconciliation,
 * computes the period the test prepared, reads the month in the pivot and the graph, and
 * opens the list of the orders whose Odoo documents differ from Shopify (issue 8, point 5).
 * Names and counts come from the test (odoo.syncoExpected).
 */
registry.category("web_tour.tours").add("synco_shopify_reconciliation_tour", {
    url: "/odoo",
    steps: () => {
        const expected = odoo.syncoExpected || {};
        return [
            {
                content: "Open the apps menu",
                trigger: ".o_navbar_apps_menu button:enabled",
                run: "click",
            },
            {
                content: "Open Invoicing",
                trigger: ".o_app[data-menu-xmlid='account.menu_finance']",
                run: "click",
            },
            {
                content: "Open Reporting",
                trigger: ".o_menu_sections [data-menu-xmlid='account.menu_finance_reports']",
                run: "click",
            },
            {
                content: "Open Shopify reconciliation",
                trigger: "[data-menu-xmlid='synco_shopify.menu_shopify_reconciliation_accounting']",
                run: "click",
            },
            {
                content: "Open the period of the test store",
                trigger: ".o_data_row td[name=store_id]:contains(Test store)",
                run: "click",
            },
            {
                content: "Compute it",
                trigger: ".o_form_view button[name=action_refresh]:contains(Compute)",
                run: "click",
            },
            {
                content: "The orders that differ are counted",
                trigger: `button[name=action_open_different] .o_stat_value:text(${expected.different})`,
            },
            {
                content: "So are those that failed",
                trigger: `button[name=action_open_failed] .o_stat_value:text(${expected.failed})`,
            },
            {
                content: "And those with no Odoo document",
                trigger: `button[name=action_open_missing] .o_stat_value:text(${expected.missing})`,
            },
            {
                content: "Open the analysis",
                trigger: ".o_form_view button[name=action_open_analysis]",
                run: "click",
            },
            {
                content: "The pivot shows Shopify's figures against Odoo's, figure by figure",
                trigger: ".o_pivot th:contains(Refunds and edits)",
            },
            {
                content: "... with the difference",
                trigger: ".o_pivot th:contains(Difference)",
            },
            {
                content: "Switch to the graph",
                trigger: ".o_switch_view.o_graph",
                run: "click",
            },
            {
                content: "The month at a glance",
                trigger: ".o_graph_renderer canvas",
            },
            {
                content: "Back to the reconciliation",
                trigger: ".o_breadcrumb .breadcrumb-item:not(.active):last a",
                run: "click",
            },
            {
                content: "Open the orders that differ",
                trigger: ".o_form_view button[name=action_open_different]",
                run: "click",
            },
            {
                content: "The changed order is listed with its difference",
                trigger: `.o_data_row:has(td[name=name]:text(${expected.changed})) td[name=difference]:contains(${expected.changed_difference})`,
            },
            {
                content: "Only it",
                trigger: `.o_list_view:not(:has(.o_data_row:nth-child(2))) .o_data_row`,
            },
            {
                content: "Open it: its figures, one by one",
                trigger: `.o_data_row td[name=name]:text(${expected.changed})`,
                run: "click",
            },
            {
                content: "Its refund is there on Shopify's side",
                trigger: ".o_form_view .o_field_widget[name=line_ids] td:contains(Refunds and edits)",
            },
            {
                content: "No access error was shown",
                trigger: "body:not(:has(.o_error_dialog))",
            },
        ];
    },
});
