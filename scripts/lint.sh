#!/usr/bin/env bash
# Lint (issue 18): ruff (pycodestyle, pyflakes, import sorting, bugbear; configured in
# pyproject.toml) and vulture (dead code, with scripts/vulture_whitelist.py). Run before pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin
status=0
"$PY/ruff" check . || status=1
"$PY/vulture" harness harness_cli mock_okta mock_cognito scenarios world_common tests benchmarks \
    scripts/vulture_whitelist.py --min-confidence 60 --exclude "tests/iac/corpus,*/node_modules/*" \
    --ignore-decorators "@*.route,@*.get,@*.post,@*.put,@*.delete,@*.errorhandler,@*.record,@*.record_once,@*.before_request,@*.after_request,@*.fixture,@pytest.*,@property,@*.setter" \
    --ignore-names "pytest_*,test_*,aws_*,okta_*,pytestmark,do_*" || status=1
exit $status
