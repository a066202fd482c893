"""Site statistics' tasks."""

from celery import shared_task

from webapp import jobs
from webapp.ops import task_log
from webapp.stats import history


@shared_task(name=jobs.ROLL_UP_VISITS)
def roll_up_visits():
    """Copy finished days' visit counters from Redis into the database (run by beat), and
    trim the task history. Idempotent: running it twice writes the same rows."""
    days = history.roll_up()
    task_log.prune()
    return [day.isoformat() for day in days]
