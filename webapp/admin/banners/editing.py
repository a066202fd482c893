"""Banner editing. Every write goes through `carousel.save_banner`/`delete_banner` (commit,
then invalidate the cached list), so the very next homepage shows it; an upload is only kept
when its row is committed, and a row never points at a file that was not written."""

import logging

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from webapp.admin.errors import BannerSaveFailed
from webapp.extensions import db
from webapp.home.carousel import delete_banner, save_banner
from webapp.home.models import Banner
from webapp.ops import uploads

log = logging.getLogger(__name__)


def all_banners():
    return list(db.session.scalars(select(Banner).order_by(Banner.sort_order, Banner.id)))


def _next_position():
    last = db.session.scalar(select(db.func.max(Banner.sort_order)))
    return (last or 0) + 1


def save_from_form(form, banner=None):
    """Create (banner=None) or update a banner from a validated form; returns it.

    Raises UploadRejected (nothing stored) or BannerSaveFailed (upload removed)."""
    creating = banner is None
    new_image = form.new_image()
    old_image = None if creating else banner.image
    banner = banner or Banner()
    banner.title = form.title.data
    banner.link_url = form.link_url.data or ""
    banner.is_active = form.is_active.data
    banner.sort_order = (
        form.sort_order.data
        if form.sort_order.data is not None
        else (banner.sort_order if not creating else _next_position())
    )
    if new_image:
        banner.image = new_image
    try:
        save_banner(banner)
    except SQLAlchemyError as error:
        db.session.rollback()
        if new_image:
            uploads.remove(new_image)
        log.exception("saving banner failed")
        raise BannerSaveFailed() from error
    if new_image and old_image != new_image:
        uploads.remove(old_image)  # only after the row points at the new one
    return banner


def set_active(banner, active):
    banner.is_active = active
    return save_banner(banner)


def move(banner, step):
    """Swap the banner with its neighbour (step -1: up, +1: down); positions become 1..n."""
    ordered = all_banners()
    index = ordered.index(banner)
    target = index + step
    if not 0 <= target < len(ordered):
        return False
    ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, each in enumerate(ordered, start=1):
        each.sort_order = position
    save_banner(banner)  # one commit carries every renumbered row, then one invalidation
    return True


def remove(banner):
    """Delete the row, then its uploaded file (a file without a row is harmless; the reverse
    would show a broken image)."""
    image = banner.image
    delete_banner(banner)
    try:
        uploads.remove(image)
    except OSError as error:
        log.warning("could not delete the image %s of a deleted banner: %s", image, error)
