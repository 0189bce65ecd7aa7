import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * Eligibility in a narrow column, as the vendor shows it: a tick for an order the
 * store's rules let through; for the others a small "Not eligible" badge whose
 * tooltip gives the rules' reasons (ineligible_reason), in full.
 */
export class ShopifyEligibilityField extends Component {
    static template = "synco_shopify.EligibilityField";
    static props = { ...standardFieldProps };

    get eligible() {
        return this.props.record.data[this.props.name];
    }

    get reason() {
        return this.props.record.data.ineligible_reason || _t("The store's rules leave this order out.");
    }
}

registry.category("fields").add("shopify_eligibility", {
    component: ShopifyEligibilityField,
    displayName: _t("Shopify eligibility"),
    supportedTypes: ["boolean"],
    isEmpty: () => false,
    fieldDependencies: [{ name: "ineligible_reason", type: "text" }],
});
