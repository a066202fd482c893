"""The banner list: read from the database, cached in Redis, kept true on every write."""

from sqlalchemy import select

from webapp.caching import CachedJSON
from webapp.extensions import db
from webapp.home import keys
from webapp.home.errors import BannerNotFound
from webapp.home.models import Banner


def active_banners_from_db():
    """The active banners in display order, as JSON-ready dicts."""
    rows = db.session.scalars(
        select(Banner).where(Banner.is_active.is_(True)).order_by(Banner.sort_order, Banner.id)
    )
    return [banner.to_dict() for banner in rows]


def get_banner(banner_id):
    """The banner, or BannerNotFound (which answers itself as a 404 where a view lets it through)."""
    banner = db.session.get(Banner, banner_id)
    if banner is None:
        raise BannerNotFound()
    return banner


banner_list = CachedJSON(
    keys.banner_list_cache(),
    active_banners_from_db,
    "BANNER_CACHE_TTL",
    title="Banner cache",
    describe=lambda banners: f"with {len(banners)} active banners",
)


def save_banner(banner):
    """Commit a new or changed banner, then invalidate the cached list."""
    db.session.add(banner)
    db.session.commit()
    banner_list.invalidate()
    return banner


def delete_banner(banner):
    db.session.delete(banner)
    db.session.commit()
    banner_list.invalidate()


DEMO_BANNERS = [
    ("Flash sale: noise-cancelling headphones", "img/banners/1.svg", "/flash-sales/"),
    ("New in: the mechanical keyboard", "img/banners/2.svg", "/flash-sales/"),
    ("Log in with your phone, no password", "img/banners/3.svg", "/auth/login"),
    ("Free delivery this weekend", "img/banners/4.svg", "/"),
]


def seed_demo_banners():
    """Add the demo banners unless there already are banners. Returns how many were added."""
    if db.session.scalar(select(Banner.id).limit(1)) is not None:
        return 0
    for order, (title, image, link) in enumerate(DEMO_BANNERS, start=1):
        db.session.add(Banner(title=title, image=image, link_url=link, sort_order=order))
    db.session.commit()
    banner_list.invalidate()
    return len(DEMO_BANNERS)
