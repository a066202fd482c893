"""Beat on every host, one sending: each periodic task once per interval; a dead, frozen or
forgotten (Redis restart) leader is replaced within the bound, and a beat that wakes up after
losing the lead neither sends a duplicate nor crashes."""

import re
import signal
import time

import pytest

from tests.faults.conftest import Site
from tests.support import start_beat, wait_for

SEND = "Sending due task rebuild-banner-cache"
BOUND = 15  # seconds: two intervals or 15 s, whichever is longer


def two_beats(tmp_path, settings, persistent):
    """A site whose rebuild runs every second, a 3 s beat lock, and two beats started."""
    site = Site(
        tmp_path,
        settings,
        persistent=persistent,
        BANNER_REFRESH_SECONDS=1,
        BEAT_LOCK_SECONDS=3,
        BEAT_TICK_SECONDS=1,
    )
    first = site.start(start_beat(site.settings, tmp_path, name="beat-a"))
    second = site.start(start_beat(site.settings, tmp_path, name="beat-b"))
    return site, first, second


@pytest.fixture
def beats(tmp_path, settings):
    site, first, second = two_beats(tmp_path, settings, persistent=True)
    yield site, first, second
    site.stop()


def sends(beat):
    return beat.tail(100000).count(SEND)


def leader(first, second):
    wait_for(lambda: sends(first) + sends(second) > 0, 20, "a beat to send")
    return (first, second) if sends(first) else (second, first)


def sends_during(beats, seconds):
    before = [sends(beat) for beat in beats]
    time.sleep(seconds)
    return [sends(beat) - b for beat, b in zip(beats, before, strict=True)]


def test_two_beats_send_each_periodic_task_once_per_interval(beats):
    _, first, second = beats
    active, standby = leader(first, second)
    counted = sends_during((active, standby), 10)
    assert counted[1] == 0  # the standby sends nothing
    assert 8 <= counted[0] <= 11  # one send a second, not two


def test_a_killed_leader_is_replaced_within_the_bound(beats):
    _, first, second = beats
    active, standby = leader(first, second)
    active.kill()
    killed_at = time.monotonic()
    wait_for(lambda: sends(standby) > 0, BOUND, "the standby to take over")
    assert time.monotonic() - killed_at <= BOUND


def test_a_leader_frozen_past_its_lock_wakes_up_without_sending_or_crashing(beats):
    _, first, second = beats
    active, standby = leader(first, second)
    active.process.send_signal(signal.SIGSTOP)
    wait_for(lambda: sends(standby) > 0, BOUND, "the standby to take over")
    sent_before_waking = sends(active)
    active.process.send_signal(signal.SIGCONT)
    counted = sends_during((active, standby), 6)
    assert sends(active) == sent_before_waking and counted[0] == 0  # no duplicate
    assert counted[1] >= 4  # the new leader keeps going
    assert active.alive(), active.tail(40)  # and the old one waits for the lock again
    assert re.search(r"lost the lock", active.tail(400))


def test_after_a_redis_restart_there_is_one_leader_within_the_bound(beats):
    site, first, second = beats
    leader(first, second)
    site.redis.restart()
    restarted_at = time.monotonic()
    wait_for(lambda: sum(sends_during((first, second), 2)) > 0, BOUND, "a leader after the restart")
    assert time.monotonic() - restarted_at <= BOUND + 2
    counted = sends_during((first, second), 6)
    assert sorted(counted)[0] == 0 and 4 <= sorted(counted)[1] <= 7  # exactly one beat sends
    assert first.alive() and second.alive()


def test_a_redis_that_lost_its_data_gets_the_schedule_back_from_the_new_leader(tmp_path, settings):
    site, first, second = two_beats(tmp_path, settings, persistent=False)
    try:
        leader(first, second)
        site.redis.restart()  # lock, schedule and last runs: all gone
        wait_for(lambda: sum(sends_during((first, second), 2)) > 0, BOUND, "periodic tasks again")
        counted = sends_during((first, second), 6)
        assert sorted(counted)[0] == 0 and 4 <= sorted(counted)[1] <= 7
    finally:
        site.stop()
