#!/usr/bin/env bash
# Install what the harness needs, when it is missing; safe to re-run.
#   - Debian packages: chromium and chromium-headless-shell (the browser Playwright drives; never a
#     downloaded one), xmlsec1
#     (the independent signature check in the tests), Node.js for the example app
#   - a project-local virtual environment, .venv/ (git-ignored), with this package and its
#     extras installed editable: nothing depends on what the machine's Python happens to have,
#     and Debian's "externally managed environment" refusal never applies.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need_apt+=(chromium)
# the same Chromium without its window: headless runs use it when present (harness/browser.py)
[ -x /usr/bin/chromium-headless-shell ] || need_apt+=(chromium-headless-shell)
command -v xmlsec1 >/dev/null 2>&1 || need_apt+=(xmlsec1)
# the example Node app (examples/node-app) and its test
command -v node >/dev/null 2>&1 || need_apt+=(nodejs npm)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "setup: installing ${need_apt[*]} (apt)"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# The interpreter: $PYTHON when set; else the distribution's own python3 when it is 3.11 or
# newer, which distributions build with profile-guided optimization and LTO (pyenv's default
# build has neither): Debian's 3.11 runs a world's sign-in on ~6 % less CPU than pyenv's 3.11
# (benchmarks/throughput.py, four interleaved pairs: 2.90 -> 2.73 ms with one client); else
# the python3 on the PATH. A .venv made from another interpreter is made again.
if [ -n "${PYTHON:-}" ]; then
  BASE_PY=$PYTHON
elif [ -x /usr/bin/python3 ] && /usr/bin/python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  BASE_PY=/usr/bin/python3
else
  BASE_PY=python3
fi
VENV=.venv
base_now="$(command -v "$BASE_PY")"
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "" 2>/dev/null \
   || [ "$(cat "$VENV/.base-python" 2>/dev/null)" != "$base_now" ]; then
  echo "setup: creating $VENV ($base_now, $("$BASE_PY" --version 2>&1))"
  rm -rf "$VENV"
  if ! "$BASE_PY" -m venv "$VENV" 2>/dev/null; then
    # Debian's python3 without python3-venv
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
    rm -rf "$VENV"; "$BASE_PY" -m venv "$VENV"
  fi
  echo "$base_now" > "$VENV/.base-python"
fi

# Reinstall only when the dependencies or the checkout's path changed (an editable install
# must point at this checkout, wherever it is).
stamp="$VENV/.installed"
want="$(pwd) $(sha256sum pyproject.toml | cut -c1-16)"
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: installing okta-aws-harness[test] into $VENV (pip)"
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
  log="$VENV/pip-install.log"
  if ! "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e '.[test]' >"$log" 2>&1; then
    grep -v -e '^WARNING: Location' "$log" >&2
    echo "setup: pip could not install okta-aws-harness[test] (full log: $log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
# Byte-compile the project's modules (an installed package's are compiled by pip; an editable
# install's are not, and with PYTHONDONTWRITEBYTECODE set, as on these machines, every process
# would compile ~140 modules again: ~0.15 s of CPU at each `harness up`). Up-to-date files are
# skipped, so this is quick on a re-run.
"$VENV/bin/python" -m compileall -q -j 0 harness harness_cli mock_okta mock_cognito scenarios world_common >/dev/null
"$VENV/bin/python" -c "import harness, mock_okta, mock_cognito, scenarios"
