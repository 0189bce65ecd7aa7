from . import order_import_wizard
from . import order_sync_confirm
from . import order_preview
