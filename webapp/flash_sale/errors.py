"""What can go wrong when buying, each with the HTTP status and message a person sees."""

from webapp.errors import UserError


class FlashSaleError(UserError):
    status = 409
    message = "This sale cannot take your order."


class SoldOut(FlashSaleError):
    message = "Sold out: every unit of this sale has been taken."


class AlreadyBought(FlashSaleError):
    message = "You already have an order in this sale (one per customer)."


class UnknownBuyer(FlashSaleError):
    status = 404
    message = "Your account no longer exists, so the order was not made."


class NotStarted(FlashSaleError):
    status = 403
    message = "This sale has not started yet."


class Ended(FlashSaleError):
    status = 403
    message = "This sale has ended."


class SaleNotFound(FlashSaleError):
    status = 404
    message = "There is no such flash sale."


class SaleNotLoaded(FlashSaleError):
    status = 503
    retry_after = 10
    message = (
        "This sale is paused for a moment: its stock is not loaded right now, and we are "
        "restoring it. Please try again in a minute."
    )


class OrderNotFound(FlashSaleError):
    status = 404
    message = "There is no such order."


class OrderCancelled(FlashSaleError):
    message = "This order was cancelled because it was not paid in time."


class BrokerUnavailable(FlashSaleError):
    status = 503
    retry_after = 5
    message = "We could not queue your order just now; nothing was reserved. Please try again."


class SaleEditRefused(FlashSaleError):
    status = 400
    message = "This change cannot be made to the sale."
