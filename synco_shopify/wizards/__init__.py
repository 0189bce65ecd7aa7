from . import order_import_wizard
