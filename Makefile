.PHONY: run test setup bench screenshot bundle

run:
	bash scripts/setup.sh run
	.venv/bin/commissie-app

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh test

bench:
	bash scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup_search.py

screenshot:
	bash scripts/setup.sh run
	QT_QPA_PLATFORM=offscreen COMMISSIE_HOME=$$(mktemp -d) sh -c '.venv/bin/commissie-app demo-data && .venv/bin/commissie-app --screenshot docs/screenshot-main.png'

bundle:
	bash scripts/bundle.sh
