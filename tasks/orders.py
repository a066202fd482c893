"""Flash-sale order tasks: thin, they take ids and call webapp.flash_sale.orders."""

from celery import shared_task
from kombu.exceptions import OperationalError as BrokerError

from webapp import jobs
from webapp.database import DatabaseUnavailable
from webapp.flash_sale import cancellation, orders, sales
from webapp.redis import RedisUnavailable

# Late ack: the message is acknowledged only after the task's work is done, so a worker killed
# mid-task leaves it to be redelivered; every order task is idempotent, so that is safe.
# Transient trouble (the database locked or restarting, Redis or the broker blinking) is retried
# with backoff, for about a minute; a sold-out or duplicate order fails at once with its reason
# for the polling page.
RETRIED_WHILE_TRANSIENT = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (*DatabaseUnavailable, BrokerError, *RedisUnavailable),
    "retry_backoff": 0.5,
    "retry_backoff_max": 10,
    "retry_jitter": True,
    "max_retries": 12,  # with the backoff: about a minute of tries
}


@shared_task(name=jobs.CREATE_ORDER, **RETRIED_WHILE_TRANSIENT)
def create_order(order_no, sale_id, user_id):
    """Write the order reserved by the web request; returns {"order_id", "sale_id",
    "pay_within_seconds", ...}."""
    return orders.create_order(order_no, sale_id, user_id)


@shared_task(name=jobs.CANCEL_UNPAID_ORDER, **RETRIED_WHILE_TRANSIENT)
def cancel_unpaid_order(order_no):
    """Cancel the order if it is still unpaid and its time to pay has run out."""
    return cancellation.cancel_unpaid_order(order_no)


@shared_task(name=jobs.CANCEL_OVERDUE_ORDERS, ignore_result=True)
def cancel_overdue_orders():
    """Beat's sweep: cancel the unpaid orders whose time to pay has run out."""
    return cancellation.cancel_overdue_orders()


@shared_task(name=jobs.REPUBLISH_STUCK_ORDERS, ignore_result=True)
def republish_stuck_orders():
    """Beat's repair: send again the order tasks of reservations whose order is not written."""
    return orders.republish_stuck_orders()


@shared_task(name=jobs.RELOAD_LOST_SALES, ignore_result=True)
def reload_lost_sales():
    """Beat's repair: load again from the database the sales whose stock Redis lost."""
    return sales.reload_lost_sales()
