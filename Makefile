# Two commands for a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app wsgi
STAMP  := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: run test install chromium bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $@

## Run the portal on its embedded defaults (SQLite + Whoosh index under instance/) with demo content.
run: install
	$(FLASK) db upgrade
	$(FLASK) load-demo
	@echo "门户地址：http://127.0.0.1:5000"
	$(FLASK) run --host 127.0.0.1 --port 5000

## Run the whole test suite, browser tests included (TEST_DATABASE_URL=postgresql://… for PostgreSQL).
test: install chromium
	$(PY) -m pytest

## Debian's chromium for the browser tests (Playwright drives it; it never downloads a browser).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "浏览器测试需要 Debian 的 chromium：sudo apt-get install chromium" >&2; exit 1; fi; }

bench: install
	$(PY) bench/bench_search.py

clean:
	rm -rf $(VENV) instance .pytest_cache
