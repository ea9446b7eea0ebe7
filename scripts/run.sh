#!/usr/bin/env bash
# Set up (see setup.sh) and start the planning app on the SQLite default with the demo week.
# The app listens on 127.0.0.1 only (.streamlit/config.toml). While the database has no
# account yet, a one-time setup token for the first (ketenregisseur) account is printed here.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if .venv/bin/python -m matcher users list 2>/dev/null | grep -qx '0 account(s)'; then
    CONSULTPLANNER_SETUP_TOKEN="$(.venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(18))')"
    export CONSULTPLANNER_SETUP_TOKEN
    echo
    echo "There is no account yet. Open http://localhost:8501 and create the first account"
    echo "(ketenregisseur) with this one-time setup token: ${CONSULTPLANNER_SETUP_TOKEN}"
    echo "Or, in another terminal: .venv/bin/matcher users add NAME --role ketenregisseur"
    echo
fi
exec .venv/bin/streamlit run app.py --server.headless true "$@"
