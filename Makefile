.PHONY: run test setup bench screenshot bundle pot

run:
	bash scripts/setup.sh run
	.venv/bin/commissie-app

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh test

# The figures of docs/performance.md: start-up to the rows and memory, the Register page (issue 12), import of
# 10,000 rows (SQLite, and the local PostgreSQL when scripts/start-postgres.sh can start it), decision letters,
# and the bundle when built.
bench:
	bash scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_startup_search.py
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_register.py
	pg=$$( [ "$$(id -u)" -eq 0 ] && bash scripts/start-postgres.sh 2>/dev/null | tail -n 1 ); \
	  .venv/bin/python bench/bench_import.py --rows 10000 $${pg:+--db $$pg}
	QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_letters.py
	if [ -d dist/commissie-app ]; then .venv/bin/python bench/bench_bundle.py; \
	  else echo "No bundle in dist/: 'make bundle' builds it (and bench_bundle.py measures it)."; fi

screenshot:
	bash scripts/setup.sh run
	QT_QPA_PLATFORM=offscreen COMMISSIE_HOME=$$(mktemp -d) sh -c '.venv/bin/commissie-app demo-data --als "Demo Secretaris" && .venv/bin/commissie-app --screenshot docs/screenshot-main.png'

bundle:
	bash scripts/bundle.sh

# The translation template of every user string (build/commissie_app.pot), checked to be complete: scripts/i18n_extract.py
# fails on a _() / ngettext() / N_() call that xgettext cannot read (tests/test_i18n_extract.py runs it in `make test`).
pot:
	python3 scripts/i18n_extract.py --pot build/commissie_app.pot
