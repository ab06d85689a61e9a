#!/usr/bin/env bash
# The main job: the built-in scenarios against the built-in world, writing the HTML report.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/python -m harness_cli demo --report "${REPORT_DIR:-harness-report}" "$@"
