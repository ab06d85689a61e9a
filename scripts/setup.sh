#!/usr/bin/env bash
# Install what the harness needs, when it is missing; safe to re-run.
#   - Debian packages: chromium (the browser Playwright drives; never a downloaded one), xmlsec1
#     (the independent signature check in the tests), Node.js for the example app
#   - this package with its test extras, editable, into the current Python
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
command -v xmlsec1 >/dev/null 2>&1 || need_apt+=(xmlsec1)
# the example Node app (examples/node-app) and its test
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
# Always (re)install: an editable install must point at this checkout, wherever it is.
echo "setup: installing okta-aws-harness[test] (pip)"
"$PY" -m pip install -q --disable-pip-version-check -e '.[test]' 2>&1 | grep -v -e '^WARNING: Running pip as' -e 'is ignored: it is neither a file nor a directory' || true
"$PY" -c "import harness, mock_okta, mock_cognito, scenarios" 
