from . import order_import
from . import order_sync
