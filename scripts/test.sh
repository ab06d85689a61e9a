#!/usr/bin/env bash
# The project's tests (and the scenario library as pytest items), two workers, in .venv/.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
bash scripts/lint.sh || exit 1
paths=(tests)
[ -d scenarios/library ] && paths+=(scenarios)
.venv/bin/python -m pytest -n "${WORKERS:-2}" -q -p no:cacheprovider "${paths[@]}" "$@"
status=$?
if [ $status -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi
exit $status
