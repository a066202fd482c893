"""The site's features, and finding what each one has.

A feature is a package of webapp/ listed in FEATURES. What it has is registered from here:
`views.py` (a blueprint `bp`, with its own url_prefix), `models.py` (its tables), `commands.py`
(a click command or group `cli`, and optionally `seed()` for its demo data). Adding a feature
is adding its name here.
"""

from importlib import import_module
from importlib.util import find_spec

FEATURES = ("home", "auth", "flash_sale", "admin", "api", "ops", "stats")


def feature_modules(name):
    """Each feature's module `name` ("views", "models", "commands"), for the features that have one."""
    return [
        import_module(f"webapp.{feature}.{name}")
        for feature in FEATURES
        if find_spec(f"webapp.{feature}.{name}") is not None
    ]
