# make run: set up everything and serve the site; make test: the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT

.PHONY: run test lint format superuser messages lock audit clean

# requirements.lock pins the versions tested together; pyproject.toml keeps the ranges.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py draw_share_cards
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py render_articles --prune --verbosity 0
	$(BIN)/gunicorn -c python:newsroom.gunicorn newsroom.wsgi

# Tests get a throwaway key, so that a DATABASE_URL run needs no SECRET_KEY of its own.
test: $(VENV)/.installed lint
	SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}" \
		$(BIN)/pytest

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

superuser: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createsuperuser

# Needs GNU gettext; the compiled catalogue is committed so that set-up does not.
messages: $(VENV)/.installed
	$(BIN)/python manage.py makemessages -l fr --no-location --ignore=.venv --ignore=staticfiles
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv

# Re-pin after changing dependencies in pyproject.toml.
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet -e ".[test]"
	.lock-venv/bin/python -m pip freeze --exclude-editable | grep -v '^-e' > requirements.lock
	rm -rf .lock-venv

# Known vulnerabilities in the pinned set (needs the PyPI JSON API, so it is not part of CI).
audit:
	test -x .audit-venv/bin/pip-audit || ($(PYTHON) -m venv .audit-venv && .audit-venv/bin/pip install --quiet pip-audit)
	.audit-venv/bin/pip-audit --strict -r requirements.lock

clean:
	rm -rf $(VENV) .audit-venv staticfiles .pytest_cache .ruff_cache
