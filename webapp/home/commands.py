"""The homepage's part of `flask seed`: the demo banners."""

from webapp.home.carousel import seed_demo_banners


def seed():
    """Add the demo banners unless there are banners; returns what it did, for the terminal."""
    added = seed_demo_banners()
    return f"Banners: {added} added." if added else "Banners: already there."
