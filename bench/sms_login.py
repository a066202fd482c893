"""What one SMS-code request costs Redis: commands per request and in-process latency.

    python -m bench.sms_login [N]

Runs the real views in-process (Flask test client, CSRF off: it is not what is measured)
against a private redis-server; the Celery publish goes to that server's database 1, so the
broker's commands are counted too, separately. No worker runs: the codes for the login
round are derived from the issued nonces, as the worker would.
"""

import statistics
import sys
import tempfile
import time

from tests.support import RedisServer
from webapp import create_app
from webapp.auth import codes
from webapp.extensions import db


def command_counts(client):
    return {
        name.removeprefix("cmdstat_"): stats["calls"] for name, stats in client.info("commandstats").items()
    }


def delta(before, after):
    return {name: after[name] - before.get(name, 0) for name in after if after[name] != before.get(name, 0)}


def measure(label, client, redis, requests):
    before = command_counts(redis)
    timings = []
    for make_request in requests:
        started = time.perf_counter()
        response = make_request()
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code in (202, 303), (
            label,
            response.status_code,
            response.get_data(as_text=True),
        )
    calls = delta(before, command_counts(redis))
    calls.pop("info", None)
    n = len(requests)
    per_request = ", ".join(f"{name} {count / n:g}" for name, count in sorted(calls.items()))
    p99 = statistics.quantiles(timings, n=100)[98]
    print(
        f"{label:<22} p50 {statistics.median(timings):6.2f} ms  p99 {p99:6.2f} ms  Redis commands per request (those run inside scripts included): {per_request}"
    )


def main(n=300):
    workdir = tempfile.mkdtemp(prefix="bench-sms-")
    server = RedisServer(workdir)
    server.start()
    try:
        app = create_app(
            "testing",
            {
                "SECRET_KEY": "bench",
                "WTF_CSRF_ENABLED": False,
                "DATABASE_URL": f"sqlite:///{workdir}/bench.db",
                "REDIS_URL": server.url(0),
                "CELERY_BROKER_URL": server.url(1),
                "CELERY_RESULT_BACKEND": server.url(2),
                "SMS_IP_HOURLY_LIMIT": 10 * n,
                "SMS_LOGIN_IP_HOURLY_LIMIT": 10 * n,
            },
        )
        with app.app_context():
            db.create_all()
        web = app.test_client()
        redis = server.client(0)
        phones = [f"+86138{i:08d}" for i in range(n)]
        accept = {"Accept": "application/json"}
        measure(
            "POST /auth/sms-code",
            web,
            redis,
            [lambda p=p: web.post("/auth/sms-code", data={"phone": p}, headers=accept) for p in phones],
        )
        with app.app_context():  # fresh codes whose plaintext we know, as the worker would
            for phone in phones:
                redis.delete(f"auth:sms:cooldown:{phone}")
            issued = {phone: codes.code_for(phone, codes.issue_code(phone).nonce) for phone in phones}
        measure(
            "POST /auth/login",
            web,
            redis,
            [lambda p=p: web.post("/auth/login", data={"phone": p, "code": issued[p]}) for p in phones],
        )
    finally:
        server.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 300)
