"""Where a request's CPU goes, counted: cProfile over thousands of in-process requests (a WSGI
call each, no HTTP server) of the homepage, the baseline page, and the Buy click's refusals
(sold out; already bought) and accept path. From the repo root (about a minute):

    .venv/bin/python bench/request_profile.py [--requests 10000] [--top 12]

For each path: CPU µs per request without the profiler (the best of 5 batches); then, with
it, the share of the time spent in each package (by where the code lives; C built-ins such as
socket reads in a row of their own) and the functions that cost the most, cumulatively.
The profiler roughly doubles every figure; read its columns as shares, not as microseconds.
docs/benchmarks.md keeps the tables.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import argparse  # noqa: E402
import cProfile  # noqa: E402
import pstats  # noqa: E402
import tempfile  # noqa: E402
from collections import Counter  # noqa: E402
from datetime import timedelta  # noqa: E402
from itertools import cycle  # noqa: E402

from bench.harness import RedisServer  # noqa: E402
from bench.homepage_costs import cpu_us, site_and_baseline  # noqa: E402

ROOT = str(Path(__file__).resolve().parent.parent)
VISITOR = "benchvisitor0001"


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=10000, help="profiled requests per path (10000)")
    parser.add_argument("--top", type=int, default=12, help="functions listed per path (12)")
    return parser.parse_args()


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        redis = RedisServer(workdir)
        redis.start()
        try:
            for name, call in paths(workdir, redis, args.requests):
                report(name, call, args.requests, args.top)
        finally:
            redis.stop()


def paths(workdir, redis, requests):
    """(name, call) for each path profiled; each call serves one request."""
    site, baseline = site_and_baseline(workdir, redis)
    home = {"path": "/", "headers": {"Cookie": f"vid={VISITOR}"}}
    yield "baseline page (bench/baseline_app.py)", caller(baseline, [home])
    yield "homepage, anonymous visitor", caller(site, [home])
    # Sold out: every click after the first unit is refused, as most of a real sale's are.
    yield "Buy click, refused (sold out)", caller(site, buy_requests(site, units=1, users=1000))
    # Already bought: one buyer clicking again while units are left; this refusal asks Redis.
    yield "Buy click, refused (already bought)", caller(site, buy_requests(site, units=10, users=1))
    # Accepted: a new buyer each time, stock enough for all (the orders' messages wait in the
    # broker; no worker runs).
    served = 200 + 2500 + requests  # warm-up, timed batches, profiled
    yield "Buy click, accepted", caller(site, buy_requests(site, units=served, users=served))


def buy_requests(site, units, users):
    """Environ arguments for Buy clicks on a new sale of `units`, by `users` users in turn, each
    with the session cookie and CSRF token the site itself issues. The click reads the user id
    from the signed session, so the users need no rows."""
    from flask import session
    from flask_wtf.csrf import generate_csrf

    from webapp.clock import utcnow
    from webapp.flash_sale.sales import create_sale

    with site.app_context():
        sale, _ = create_sale(
            "Profile", 100, units, utcnow() - timedelta(minutes=1), utcnow() + timedelta(hours=1)
        )
    serializer = site.session_interface.get_signing_serializer(site)
    made = []
    for user_id in range(1, users + 1):
        with site.test_request_context():
            token = generate_csrf()
            cookie = serializer.dumps({**session, "_user_id": str(user_id), "_fresh": True})
        made.append(
            {
                "method": "POST",
                "path": f"/flash-sales/{sale.id}/buy",
                "headers": {
                    "Cookie": f"session={cookie}",
                    "X-CSRFToken": token,
                    "Accept": "application/json",
                },
            }
        )
    return made


def caller(app, requests):
    """One request per call, taking `requests` (EnvironBuilder arguments) in turn."""
    from werkzeug.test import EnvironBuilder

    environs = cycle([EnvironBuilder(**request).get_environ() for request in requests])
    statuses = Counter()

    def start_response(status, headers, exc_info=None):
        statuses[status] += 1

    def call():
        b"".join(app.wsgi_app(dict(next(environs)), start_response))

    call.statuses = statuses
    return call


def report(name, call, requests, top):
    plain = cpu_us(call, count=2500)  # after 200 warm-up calls: templates compiled, connections open
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(requests):
        call()
    profile.disable()
    stats = pstats.Stats(profile)
    print(f"\n== {name}: {plain:.0f} µs CPU per request; answers {dict(call.statuses)}")
    total = sum(row[2] for row in stats.stats.values())
    by_package = Counter()
    for (filename, _, _), row in stats.stats.items():
        by_package[package_of(filename)] += row[2]  # own time
    print("  share of the time by package (own time of its functions):")
    for package, seconds in by_package.most_common(10):
        print(f"    {package:36} {100 * seconds / total:5.1f} %")
    print(f"  costliest functions, cumulative µs per request (profiled), top {top}:")
    rows = sorted(stats.stats.items(), key=lambda item: item[1][3], reverse=True)
    listed = 0
    for (filename, line, function), row in rows:
        if package_of(filename) in ("C built-ins", "bench"):
            continue
        print(f"    {1e6 * row[3] / requests:8.1f}  {short(filename)}:{line} {function}")
        listed += 1
        if listed == top:
            break


def package_of(filename):
    if filename == "~" or filename.startswith("<"):
        return "C built-ins"
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    if filename.startswith(ROOT):
        parts = filename[len(ROOT) + 1 :].split("/")
        return "/".join(parts[:2]) if parts[0] == "webapp" else parts[0]
    return "standard library"


def short(filename):
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1]
    return filename.removeprefix(ROOT + "/")


if __name__ == "__main__":
    main()
