from . import order_import
from . import order_sync
from . import order_writeback
from . import order_preview
