# make run: set up and start the whole site; make test: set up and run every test.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test setup content lint check bench clean

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

run: content
	@echo
	@echo "The site: http://127.0.0.1:8000   (Ctrl-C stops the web server, worker and beat)"
	@echo "Create an editor account: $(BIN)/python manage.py createsuperuser"
	@echo "  or a least-privilege one: $(BIN)/python manage.py create_editor USERNAME"
	@echo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho start

test: setup
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/refresh.py

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

clean:
	rm -rf $(VENV) var
