#!/usr/bin/env bash
# Runs the whole site on this machine: web (gunicorn), Celery worker and Celery beat.
# Sets up everything it needs first. Ctrl-C stops all three.
source "$(dirname "$0")/setup.sh"

ensure_venv requirements.txt
[ -f .env ] && { set -a; source .env; set +a; }
ensure_redis_running

say "Creating the database and loading the demo data"
flask --app wsgi init-db
flask --app wsgi seed

export WEB_HOST="${WEB_HOST:-127.0.0.1}" WEB_PORT="${WEB_PORT:-8000}"
say "The site is at http://$WEB_HOST:$WEB_PORT/  (Ctrl-C stops web, worker and beat)"
exec honcho start --procfile Procfile
