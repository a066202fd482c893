#!/usr/bin/env bash
# supervise.sh NAME COMMAND...: runs COMMAND, and starts it again whenever it exits, after a
# short backoff (1, 2, 4 ... 30 s; back to 1 s once it has run a minute). Used by the Procfile
# so that under scripts/run.sh a crashed worker or beat comes back instead of honcho stopping
# the whole site. SIGTERM/SIGINT (Ctrl-C, honcho stopping) go to COMMAND, and then we stop too.
# In production systemd does this job (Restart=on-failure): see docs/deploy.md.
set -u
name="$1"; shift
child=0
stopping=0
stop() {
  stopping=1
  [ "$child" -gt 0 ] && kill -TERM "$child" 2>/dev/null
}
trap stop TERM INT

backoff=1
while :; do
  started=$(date +%s)
  "$@" &
  child=$!
  wait "$child"; status=$?
  # A trapped signal interrupts `wait`: wait again for the child to finish its shutdown.
  while [ "$stopping" = 1 ] && kill -0 "$child" 2>/dev/null; do wait "$child"; status=$?; done
  [ "$stopping" = 1 ] && exit 0
  if [ $(( $(date +%s) - started )) -ge 60 ]; then backoff=1; fi
  echo "supervise: $name exited with status $status; starting it again in ${backoff}s" >&2
  sleep "$backoff" & wait $!
  [ "$stopping" = 1 ] && exit 0
  backoff=$(( backoff * 2 > 30 ? 30 : backoff * 2 ))
done
