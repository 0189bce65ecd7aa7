import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The Odoo ID as a link, as the vendor's: the server decides what it opens for the user
 * (the sale order or invoice they may read, else a read-only summary of the order).
 */
export class ShopifyOdooRefField extends Component {
    static template = "synco_shopify.OdooRefField";
    static props = { ...standardFieldProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
    }

    get value() {
        return this.props.record.data[this.props.name];
    }

    async open() {
        const record = this.props.record;
        const action = await this.orm.call(record.resModel, "action_open_odoo_record", [[record.resId]], {
            context: record.context,
        });
        await this.action.doAction(action);
    }
}

registry.category("fields").add("shopify_odoo_ref", {
    component: ShopifyOdooRefField,
    displayName: _t("Shopify: Odoo ID link"),
    supportedTypes: ["char"],
});
