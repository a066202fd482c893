"""Celery beat on every host, one sending: celery-redbeat's scheduler with its failure modes
handled (checked against celery-redbeat 2.4.2).

RedBeat keeps the schedule and each entry's last run in Redis (a takeover neither skips nor
repeats a run) and lets only the holder of a Redis lock send. Its defaults suit one beat
that restarts slowly; this site runs several and wants a quick, clean handover:

- The lock is short (BEAT_LOCK_SECONDS, 10 s) and extended on every tick (at most every
  BEAT_TICK_SECONDS, 2 s), so when the sending beat dies another takes over within about
  BEAT_LOCK_SECONDS + BEAT_TICK_SECONDS.
- A beat that lost the lock (it was paused past the lock's life, or Redis restarted and forgot
  it) finds out when it next extends it, before sending anything, and goes back to waiting for
  the lock instead of crashing (RedBeat raises LockNotOwnedError, and a supervisor restarting
  it over and over is the crash loop its users report).
- Before each send it checks that its last extension is recent by the monotonic clock (which
  counts a SIGSTOP or a VM freeze): a beat frozen in the middle of a tick extends again, and
  so learns it lost the lock, before it can send a duplicate.
- While Redis is unreachable it sends nothing and tries again each tick; a beat that takes the
  lock puts the schedule back first, should Redis have lost it with the lock.
"""

import logging
import time

from redbeat import RedBeatScheduler
from redbeat.schedulers import acquire_distributed_beat_lock
from redis.exceptions import LockError

from webapp.redis import RedisUnavailable

log = logging.getLogger("celery.beat")


class LeaderScheduler(RedBeatScheduler):
    """Selected by `beat_scheduler` (webapp/jobs.py)."""

    _extended_at = 0.0
    _schedule_for = None  # the lock under which the schedule was last put in place

    def tick(self, min=min, **kwargs):
        """RedBeat's tick, with the lock handled by `_lead` (RedBeat's would raise on a lost lock)."""
        if not self._lead():
            return self.max_interval
        remaining = []
        try:
            for entry in self.schedule.values():
                next_time_to_run = self.maybe_due(entry, **self._maybe_due_kwargs)
                if next_time_to_run:
                    remaining.append(next_time_to_run)
        except RedisUnavailable as error:
            log.warning("beat: Redis unreachable while sending (%s)", error)
        return min([*remaining, self.max_interval])

    def maybe_due(self, entry, **kwargs):
        # Fencing against our own pauses: extend again unless the last extension is recent.
        if time.monotonic() - self._extended_at > self.lock_timeout / 3 and not self._lead():
            return self.max_interval
        return super().maybe_due(entry, **kwargs)

    def _lead(self):
        """True while we hold the lock (extended just now); else wait for it and say False."""
        try:
            if self.lock is None:
                self._wait_for_lock()
            self.lock.extend(int(self.lock_timeout), replace_ttl=True)
            if self._schedule_for is not self.lock:
                # The lock was just taken (at start-up, or again after losing it). A Redis that
                # restarted without its data forgot the schedule along with the lock: put the
                # static entries back (an entry still there keeps its last run).
                self.setup_schedule()
                self._schedule_for = self.lock
                log.info("beat: this beat now sends the periodic tasks")
        except LockError:
            log.warning("beat: lost the lock (paused too long, or Redis forgot it); waiting for it again")
            self.lock = None
            return False
        except RedisUnavailable as error:
            log.warning("beat: Redis unreachable (%s); sending nothing until it is back", error)
            return False
        self._extended_at = time.monotonic()
        return True

    def _wait_for_lock(self):
        """Block until this beat holds the lock (RedBeat's own start-up acquisition)."""

        class Sender:
            scheduler = self

        acquire_distributed_beat_lock(sender=Sender())
