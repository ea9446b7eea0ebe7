#!/usr/bin/env bash
# Set up (see setup.sh) and run every check: ruff lint, ruff format, mypy, pytest.
# Extra arguments go to pytest, e.g. scripts/test.sh -k loader -x
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
echo "== pytest"; .venv/bin/python -m pytest "$@"
