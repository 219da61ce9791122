#!/usr/bin/env bash
# Install everything the test suite needs, idempotently, then run the whole suite.
# Usage: bash scripts/test.sh [pytest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'

# The browser tests (tests/test_browser.py, marker `browser`) drive Debian's Chromium through Playwright
# (never a browser downloaded by `playwright install`) and inject axe-core; they skip when these are missing.
# A failed install is fatal in CI (CI=true) and only a warning elsewhere, so an offline checkout still tests.
optional_install() {
  if ! "$@"; then
    if [ "${CI:-}" = true ]; then
      echo "error: '$*' failed" >&2
      exit 1
    fi
    echo "warning: '$*' failed; the browser tests will be skipped" >&2
  fi
}
# LibreOffice (headless Calc) edits a CSV glossary in tests/test_exchange.py, which skips without it.
debs=""
[ -x /usr/bin/chromium ] || debs="$debs chromium"
command -v soffice >/dev/null 2>&1 || debs="$debs libreoffice-calc-nogui"
if [ -n "$debs" ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  optional_install apt-get -qq update
  # shellcheck disable=SC2086  # one word per package
  optional_install apt-get -qq install -y $debs </dev/null >/dev/null
fi
if [ ! -f .tools/node_modules/axe-core/axe.min.js ] && command -v npm >/dev/null 2>&1; then
  optional_install npm install --prefix .tools --no-audit --no-fund --silent 'axe-core@^4.10' </dev/null
fi

exec .venv/bin/python -m pytest "$@"
