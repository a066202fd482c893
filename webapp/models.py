"""Every model, imported in one place so `db.create_all()` and migrations see them all."""

from webapp.auth.models import User
from webapp.flash_sale.models import FlashSale, Order
from webapp.home.models import Banner
from webapp.ops.models import TaskRun
from webapp.stats.models import DailyVisits

__all__ = ["Banner", "DailyVisits", "FlashSale", "Order", "TaskRun", "User"]
