#!/usr/bin/env bash
# Set up (see setup.sh) and start the planning app on the SQLite default with the demo week.
# Until the app lands, validates and solves the demo scenario on the command line.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -f app.py ]; then
    exec .venv/bin/streamlit run app.py --server.headless true "$@"
fi
.venv/bin/matcher validate scenarios/limburg-week.yaml
