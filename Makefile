# make run: set up and start the whole site; make test: set up and run every test;
# make serve: the site as in production (gunicorn, production settings, PostgreSQL and Redis).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run serve test setup content lint check bench bench-serve clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

content: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_libraries content/libraries.yaml
	$(BIN)/python manage.py import_article content/*.md

# make run's web server listens on WEB_PORT; the site's addresses are printed once all three processes are up.
run: export WEB_PORT ?= 8000
run: export READY_DIR ?= $(CURDIR)/var/run
run: content
	@echo "Starting the web server, the Celery worker and beat; the site's addresses follow once they are up."
	@# honcho runs as the terminal's foreground job (scripts/foreground.py), so Ctrl-C reaches it and not make;
	@# it stops the three and answers 130 for the Ctrl-C, which is how `make run` is meant to end: status 0.
	@PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/python scripts/foreground.py \
	  --announce http://127.0.0.1:$(WEB_PORT) $(BIN) $(BIN)/honcho start; status=$$?; \
	  if [ $$status -eq 130 ]; then echo "Stopped."; exit 0; fi; exit $$status

# Production settings, on this machine's PostgreSQL and Redis unless the environment names others.
serve: export DJANGO_SETTINGS_MODULE = config.settings.production
serve: export DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/top_python_libraries
serve: export CACHE_URL ?= redis://127.0.0.1:6379/1
serve: export CELERY_BROKER_URL ?= redis://127.0.0.1:6379/0
serve: export ALLOWED_HOSTS ?= localhost,127.0.0.1
serve: export TRUSTED_PROXY_COUNT ?= 0
serve: export WEB_PORT ?= 8000
serve: export SITE_URL ?= http://127.0.0.1:$(WEB_PORT)
serve: setup
	@test -n "$$SECRET_KEY" || { echo "make serve needs SECRET_KEY in the environment, for instance:"; \
	  echo "  export SECRET_KEY=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')"; exit 2; }
	$(BIN)/python manage.py ensure_database
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py import_shipped_content
	@echo
	@echo "Serving with production settings at http://127.0.0.1:$(WEB_PORT) ($${WEB_CONCURRENCY:-2} gunicorn workers),"
	@echo "with a Celery worker and beat. Behind a TLS proxy in production; for plain http on this machine,"
	@echo "set SECURE_SSL_REDIRECT=False. Health: http://127.0.0.1:$(WEB_PORT)/healthz   Ctrl-C stops all three."
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.serve start

test: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/refresh.py

bench-serve: setup
	$(BIN)/python bench/serve.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
