"""The yardstick: about the least a Flask page backed by Redis can cost.

GET / makes one pipelined Redis round trip with the homepage's kind of commands (INCR, PFADD,
EXPIRE, PFCOUNT, GET of a JSON list) and renders a file template, compiled once at import.
No database, no session, no extensions. A page of ours that serves >= 0.8x this page's
req/s spends little on top of what any Flask + Redis page must.

Served by the benchmarks as `gunicorn bench.baseline_app:app`. Its settings are the bench's
own (not the site's config): BASELINE_REDIS_URL, and BASELINE_PAD_BYTES, filler that makes
its page exactly as large as the page it is compared with.
"""

import json
import os
from datetime import date

import redis
from flask import Flask, render_template, request
from markupsafe import Markup

ITEMS_KEY = "baseline:items"  # the JSON list the bench copies from the homepage's cache
DAY_SECONDS = 86400

app = Flask(__name__)
client = redis.Redis.from_url(os.environ["BASELINE_REDIS_URL"], socket_timeout=0.5)
padding = Markup("." * int(os.environ.get("BASELINE_PAD_BYTES", "0")))
app.jinja_env.get_template("baseline.html")  # compile now; render_template reuses it


@app.get("/")
def index():
    visitor = request.cookies.get("vid", "anonymous")
    day = date.today().isoformat()
    pipe = client.pipeline(transaction=False)
    pipe.incr("baseline:visits:total")
    pipe.incr(f"baseline:visits:{day}")
    pipe.expire(f"baseline:visits:{day}", 45 * DAY_SECONDS)
    pipe.pfadd(f"baseline:visitors:{day}", visitor)
    pipe.expire(f"baseline:visitors:{day}", 45 * DAY_SECONDS)
    pipe.pfcount(f"baseline:visitors:{day}")
    pipe.get(ITEMS_KEY)
    total, today, _, _, _, visitors, items = pipe.execute()
    return render_template(
        "baseline.html",
        items=json.loads(items or "[]"),
        total=total,
        today=today,
        visitors=visitors,
        padding=padding,
    )
