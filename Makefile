# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
ODOO_PATH ?= /opt/odoo
export ODOO_PATH

.PHONY: setup test demo bench soak scale clean
setup:
	@bash tools/setup.sh

test:
	@bash tools/test.sh

demo:
	@bash tools/demo.sh

bench:
	@bash tools/bench.sh

# 1,000 orders through the real job runner, Shopify faulted, a worker killed: figures.
soak:
	@bash tools/soak.sh

# The same orders on one Odoo server, then on two sharing one database: throughput, duplicates, THROTTLED.
scale:
	@bash tools/scale.sh

clean:
	rm -rf .venv .cache
