"""No route answers a 5xx (but an honest 503) to hostile input, logged in as an admin or not."""

import itertools
import re

import pytest

from webapp.extensions import db
from webapp.flash_sale.sales import seed_demo_sales
from webapp.home.carousel import seed_demo_banners

VALUES = ["1", "0", "x", "99999999999999999999", "%00", "..%2f..%2fetc", "-1", "a" * 300]
EXTRAS = [
    {},
    {"data": {"phone": "abc", "code": "x", "title": "", "price": "-1", "stock": "1e9"}},
    {"query_string": {"cursor": "zz", "db": "99", "pattern": "[", "page": "-5", "next": "//evil"}},
]


def paths(rule):
    """The rule with each of its arguments replaced by every hostile value."""
    for combo in itertools.product(VALUES, repeat=len(rule.arguments)):
        path = rule.rule
        for name, value in zip(sorted(rule.arguments), combo, strict=True):
            path = re.sub(rf"<(?:[^>:]*:)?{name}>", value, path)
        yield path


@pytest.mark.parametrize("as_admin", [False, True], ids=["anonymous", "admin"])
def test_every_route_answers_hostile_input_without_a_server_error(app, client, login, as_admin):
    with app.app_context():
        seed_demo_banners()
        seed_demo_sales()
        db.session.commit()
    if as_admin:
        login(admin=True)
    failures = []
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for path, extra in itertools.product(paths(rule), EXTRAS):
                status = client.open(path, method=method, **extra).status_code
                if status >= 500 and status != 503:
                    failures.append(f"{method} {path} {sorted(extra)} -> {status}")
    assert failures == []
