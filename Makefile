# Two commands on a fresh machine: `make demo` and `make test` (see README.md).
ODOO_PATH ?= /opt/odoo
export ODOO_PATH

.PHONY: setup test demo bench clean
setup:
	@bash tools/setup.sh

test:
	@bash tools/test.sh

demo:
	@bash tools/demo.sh

bench:
	@bash tools/bench.sh

clean:
	rm -rf .venv .cache
