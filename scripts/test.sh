#!/usr/bin/env bash
# Runs the linter and the test suite, after setting up what they need. Arguments go to pytest.
source "$(dirname "$0")/setup.sh"

ensure_venv requirements-dev.txt
ensure_redis_server_binary  # the tests start their own redis-server on a free port

if ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null; then
  apt_install chromium ||
    echo "warning: Chromium is not installed and could not be installed; browser tests will be skipped." >&2
fi

say "ruff"
ruff check .
ruff format --check .
say "pytest"
exec python -m pytest "$@"
