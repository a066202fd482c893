"""Every Redis key of the flash sale, built in one place."""


def sale(sale_id):
    """Hash: `stock` (units left to reserve), `starts_at`, `ends_at` (epoch seconds)."""
    return f"flash:sale:{sale_id}"


def buyers(sale_id):
    """Set of the user ids that reserved a unit of this sale (one each, ever)."""
    return f"flash:sale:{sale_id}:buyers"


def returned(sale_id):
    """Set of the order numbers whose unit went back to `stock` (so it goes back once)."""
    return f"flash:sale:{sale_id}:returned"


def feed(sale_id):
    """List, newest first, capped: masked "138****5678 bought X" entries as JSON."""
    return f"flash:sale:{sale_id}:feed"
