"""The daily visits rollup: finished days copied from Redis into the database, idempotently."""

from datetime import timedelta

from webapp.clock import today as site_today
from webapp.extensions import db
from webapp.stats import history
from webapp.stats import keys as stats_keys
from webapp.stats.models import DailyVisits


def put_day(redis_client, day, count, visitors):
    redis_client.set(stats_keys.day_visits(day), count)
    redis_client.pfadd(stats_keys.day_visitors(day), *[f"visitor-{i}" for i in range(visitors)])


def rows(app):
    with app.app_context():
        return {r.day: (r.visits, r.visitors) for r in db.session.scalars(db.select(DailyVisits))}


def test_rollup_writes_yesterdays_counts_and_is_idempotent(app, redis_client):
    with app.app_context():
        today = site_today()
    yesterday = today - timedelta(days=1)
    put_day(redis_client, yesterday, 42, 7)
    put_day(redis_client, today, 5, 2)  # today is not finished: not rolled up
    with app.app_context():
        assert history.roll_up() == [yesterday]
        assert history.roll_up() == [yesterday]
    assert rows(app) == {yesterday: (42, 7)}


def test_rolled_up_history_survives_a_redis_restart(app, client, redis_client, redis_server):
    with app.app_context():
        yesterday = site_today() - timedelta(days=1)
        put_day(redis_client, yesterday, 9, 3)
        history.roll_up()
    with redis_server.down():
        pass  # comes back empty
    with app.app_context():
        assert history.roll_up() == []  # nothing in Redis: the table is left alone
        days = history.last_days(30)
    assert rows(app) == {yesterday: (9, 3)}
    assert (days[-2].visits, days[-2].visitors) == (9, 3)


def test_rollup_catches_up_on_missed_days(app, redis_client):
    with app.app_context():
        today = site_today()
    for n in (1, 3, 6):
        put_day(redis_client, today - timedelta(days=n), n * 10, n)
    with app.app_context():
        history.roll_up()
    assert rows(app) == {today - timedelta(days=n): (n * 10, n) for n in (1, 3, 6)}


def test_the_beat_task_rolls_up_in_a_real_worker(app, redis_client, celery_worker):
    from tasks.stats import roll_up_visits

    with app.app_context():
        yesterday = site_today() - timedelta(days=1)
        put_day(redis_client, yesterday, 11, 4)
        assert roll_up_visits.delay().get(timeout=20) == [yesterday.isoformat()]
    assert rows(app) == {yesterday: (11, 4)}
