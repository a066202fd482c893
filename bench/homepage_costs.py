"""What a homepage request costs, piece by piece, in CPU microseconds; and what a web
worker's memory is made of. In-process (no HTTP server), so a shared machine's noise
matters less than in a load run. From the repo root (about 30 seconds):

    .venv/bin/python bench/homepage_costs.py

CPU is process time per call, the best of 5 batches. docs/benchmarks.md reads the output.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import os  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from bench.harness import RedisServer  # noqa: E402

VISITOR = "benchvisitor0001"
# Imported in this order by a fresh interpreter; each line's RSS growth is its own cost.
WORKER_IMPORTS = [
    "flask",
    "sqlalchemy",
    "redis",
    "flask_sqlalchemy",
    "flask_caching",
    "flask_limiter",
    "flask_wtf",
    "flask_login",
    "celery",
    "psycopg2",
    "webapp",
    "wsgi",
]


def cpu_us(call, count=3000):
    for _ in range(200):
        call()
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for _ in range(count // 5):
            call()
        best = min(best, (time.process_time() - started) / (count // 5))
    return best * 1e6


def wsgi_caller(wsgi_app):
    from werkzeug.test import EnvironBuilder

    environ = EnvironBuilder(path="/", headers={"Cookie": f"vid={VISITOR}"}).get_environ()

    def call():
        b"".join(wsgi_app(dict(environ), lambda status, headers, exc_info=None: None))

    return call


def site_and_baseline(workdir, redis):
    """The site (production config, SQLite in `workdir`, the demo banners cached) and the
    baseline app, both on `redis`, built in this process."""
    from webapp import create_app
    from webapp.extensions import db
    from webapp.home.carousel import banner_list, seed_demo_banners

    settings = {
        "SECRET_KEY": "in-process",
        "TRUSTED_HOSTS": ["localhost", "127.0.0.1"],
        "DATABASE_URL": f"sqlite:///{workdir}/site.db",
        "REDIS_URL": redis.url(0),
    }
    site = create_app("production", settings)
    with site.app_context():
        db.create_all()
        seed_demo_banners()
        banner_list.rebuild()
    redis.client(0).set("baseline:items", redis.client(0).get("cache:banners:active"))
    os.environ["BASELINE_REDIS_URL"] = redis.url(0)  # read by the baseline app at import
    from bench.baseline_app import app as baseline

    return site, baseline


def request_costs(workdir, redis):
    from flask import render_template, url_for

    from webapp.home.page import load_homepage
    from webapp.home.rendering import homepage_html
    from webapp.web.extensions import limiter

    site, baseline = site_and_baseline(workdir, redis)
    rows = [
        ("baseline: whole request (WSGI call)", cpu_us(wsgi_caller(baseline.wsgi_app))),
        ("homepage: whole request (WSGI call)", cpu_us(wsgi_caller(site.wsgi_app))),
    ]
    with site.test_request_context("/", headers={"Cookie": f"vid={VISITOR}"}):
        page = load_homepage(VISITOR)
        rows += [
            ("  homepage view alone (views.index)", cpu_us(site.view_functions["home.index"])),
            ("  load_homepage (counters + banners, 1 round trip)", cpu_us(lambda: load_homepage(VISITOR))),
            ("  homepage_html: the kept page, counters written in", cpu_us(lambda: homepage_html(page))),
            (
                "  render home/index.html, 4 banners (once per version)",
                cpu_us(lambda: render_template("home/index.html", banners=page.banners, counts=page.counts)),
            ),
            (
                "  render home/index.html, no banners (the layout)",
                cpu_us(lambda: render_template("home/index.html", banners=[], counts=page.counts)),
            ),
            ("  one url_for('static', ...)", cpu_us(lambda: url_for("static", filename="js/carousel.js"))),
            (
                "  Flask-Limiter check (now run only where a limit is declared)",
                cpu_us(lambda: limiter._check_request_limit()),
            ),
            (
                "  session open, no session cookie",
                cpu_us(lambda: site.session_interface.open_session(site, _request())),
            ),
        ]
    with baseline.test_request_context("/"):
        items = page.banners
        rows += [
            ("  baseline view alone (pipeline + render)", cpu_us(baseline.view_functions["index"])),
            (
                "  baseline: render baseline.html",
                cpu_us(lambda: render_template("baseline.html", items=items, total=1, today=1, visitors=1)),
            ),
        ]
    # The frameworks alone: the same apps with a view that returns a word.
    site.view_functions["home.index"] = lambda: "ok"
    baseline.view_functions["index"] = lambda: "ok"
    rows += [
        ("site app, trivial view (Flask + extensions' hooks)", cpu_us(wsgi_caller(site.wsgi_app))),
        ("bare Flask, trivial view", cpu_us(wsgi_caller(baseline.wsgi_app))),
    ]
    return rows


def _request():
    from flask import request

    return request._get_current_object()


def import_memory():
    """RSS growth of each import in WORKER_IMPORTS, in a fresh interpreter."""
    script = (
        "import importlib, sys\n"
        "def rss():\n"
        "    for line in open('/proc/self/status'):\n"
        "        if line.startswith('VmRSS'): return int(line.split()[1]) / 1024\n"
        "print('python', rss())\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name); print(name, rss())\n"
    )
    env = {
        **os.environ,
        "APP_ENV": "production",
        "SECRET_KEY": "costs",
        "TRUSTED_HOSTS": "localhost",
        "REDIS_URL": "redis://127.0.0.1:1/0",
    }
    out = subprocess.run(
        [sys.executable, "-c", script, *WORKER_IMPORTS],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    before, rows = 0.0, []
    for line in out.splitlines():
        name, mb = line.split()
        rows.append((name, float(mb), float(mb) - before))
        before = float(mb)
    return rows


def main():
    with tempfile.TemporaryDirectory() as workdir:
        redis = RedisServer(workdir)
        redis.start()
        try:
            rows = request_costs(workdir, redis)
        finally:
            redis.stop()
    print("CPU per call (us, best of 5 batches)")
    for label, micros in rows:
        print(f"  {label:55} {micros:7.1f}")
    print("\nweb worker imports: RSS after each (MB), and its growth")
    for name, mb, grew in import_memory():
        print(f"  {name:20} {mb:6.1f}  +{grew:5.1f}")


if __name__ == "__main__":
    main()
