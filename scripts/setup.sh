# Shared set-up for scripts/run.sh and scripts/test.sh (sourced, not run):
# a virtualenv with the pinned packages, and the services the site needs.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }
is_root() { [ "$(id -u)" = 0 ]; }

apt_install() {
  # Installs Debian packages when we may (root with apt-get); returns 1 otherwise.
  is_root && command -v apt-get >/dev/null || return 1
  say "Installing $* with apt-get"
  if [ -z "${APT_UPDATED:-}" ]; then
    apt-get update -qq >/dev/null || return 1
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3.10 python3; do
    if command -v "$candidate" >/dev/null &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

ensure_venv() {
  # ensure_venv REQUIREMENTS_FILE: create .venv and install the pinned packages when they changed.
  local requirements="$1" python stamp wanted
  if [ ! -x "$VENV/bin/python" ]; then
    python="$(find_python)" || die "Python 3.10 or newer is needed (Debian: apt-get install python3 python3-venv)."
    say "Creating the virtualenv in .venv ($("$python" --version))"
    "$python" -m venv "$VENV" ||
      die "could not create a virtualenv (Debian: apt-get install python3-venv)."
  fi
  stamp="$VENV/.installed"
  wanted="$(cat requirements*.txt | sha256sum | cut -d' ' -f1) $requirements"
  if [ ! -f "$stamp" ] || ! grep -qxF "$wanted" "$stamp"; then
    say "Installing packages from $requirements"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -r "$requirements"
    echo "$wanted" >> "$stamp"
  fi
  export PATH="$VENV/bin:$PATH"
}

ensure_redis_server_binary() {
  command -v redis-server >/dev/null && return 0
  apt_install redis-server && return 0
  die "redis-server is not installed and could not be installed here.
  Install it, then run this again:
    Debian/Ubuntu: sudo apt-get install redis-server
    macOS:         brew install redis
  Or point REDIS_URL at a Redis you already run."
}

redis_probe() {
  # Prints "up", "start PORT" (a Redis on this machine that is ours to start) or "down", read
  # with the site's own parser (webapp/redis.py); exits 1 with its sentence for a bad URL.
  "$VENV/bin/python" - "$1" <<'PY'
import sys
from webapp.redis import make_client, parse_redis_url
from webapp.settings import ConfigError
try:
    url = parse_redis_url(sys.argv[1])
except ConfigError as error:
    sys.exit(f"error: {error}")
try:
    make_client(url, 1).ping()
    print("up")
except Exception:
    print(f"start {url.local_port}" if url.local_port else "down")
PY
}

ensure_redis_running() {
  # Makes sure a Redis answers at REDIS_URL; starts a local redis-server when it is ours to start.
  local url="${REDIS_URL:-redis://127.0.0.1:6379/0}" state port
  state="$(redis_probe "$url")" || exit 1
  case "$state" in
    up) say "Redis is up at $url"; return 0 ;;
    down) die "Redis at $url does not answer. Start it, or set REDIS_URL to one that does." ;;
  esac
  port="${state#start }"
  ensure_redis_server_binary
  mkdir -p "$ROOT/instance"
  say "Starting a local redis-server on port $port (stop it with: redis-cli -p $port shutdown)"
  redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
    --dir "$ROOT/instance" --logfile "$ROOT/instance/redis.log" --pidfile "$ROOT/instance/redis.pid"
  for _ in $(seq 50); do [ "$(redis_probe "$url")" = up ] && return 0; sleep 0.1; done
  die "redis-server did not start; see instance/redis.log"
}
