#!/usr/bin/env bash
# Install everything and run the demo on the embedded SQLite database (http://127.0.0.1:5000/).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/society-saas demo "$@"
