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
if [ "$#" -gt 0 ]; then
  exec python -m pytest "$@"
fi
python -m pytest
# The concurrency-critical tests again, on PostgreSQL (a throwaway database on TEST_POSTGRES_URL,
# default the local server; they skip with the reason when there is none).
say "pytest -m concurrency on PostgreSQL"
TEST_DATABASE=postgresql exec python -m pytest -m concurrency
