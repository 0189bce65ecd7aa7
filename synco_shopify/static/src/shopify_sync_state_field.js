import { registry } from "@web/core/registry";
import { BadgeField, badgeField } from "@web/views/fields/badge/badge_field";

/** The Sync Status badge, with a spinner while the order is In Progress. */
export class ShopifySyncStateField extends BadgeField {
    static template = "synco_shopify.SyncStateField";

    get inProgress() {
        return this.props.record.data[this.props.name] === "in_progress";
    }
}

registry.category("fields").add("shopify_sync_state", {
    ...badgeField,
    component: ShopifySyncStateField,
});
