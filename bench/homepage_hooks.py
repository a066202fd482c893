"""What the extensions' per-request hooks cost the homepage under gunicorn: the homepage as
is, without Flask-Limiter's hooks, without any extension hook (bench/strip_hooks.py), and the
baseline, interleaved. Since webapp/web/speedups.py confined Flask-Limiter's hooks to the
blueprints that declare a limit, "-limiter" is the homepage as is (kept for comparison with
older runs). From the repo root (about two minutes):

    .venv/bin/python bench/homepage_hooks.py
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import argparse  # noqa: E402
import tempfile  # noqa: E402
from contextlib import ExitStack  # noqa: E402

from bench.harness import RedisServer, bench_env, cpu_seconds, flask_cli, start_gunicorn  # noqa: E402
from bench.loadgen import format_run, interleave, run_wrk  # noqa: E402

BENCH = Path(__file__).resolve().parent
COOKIE = "Cookie: vid=benchvisitor0001"
VARIANTS = {
    "homepage": ("wsgi:app", None),
    "-limiter": ("wsgi:app", "limiter"),
    "-all hooks": ("wsgi:app", "extensions"),
    "baseline": ("bench.baseline_app:app", None),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=6)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, ExitStack() as stack:
        redis = RedisServer(workdir)
        redis.start()
        stack.callback(redis.stop)
        env = bench_env(
            {
                "SECRET_KEY": "bench-secret-key",
                "DATABASE_URL": f"sqlite:///{workdir}/site.db",
                "REDIS_URL": redis.url(0),
                "BASELINE_REDIS_URL": redis.url(0),
            }
        )
        for command in (["init-db"], ["seed"], ["cache", "rebuild"]):
            flask_cli(env, *command)
        redis.client(0).set("baseline:items", redis.client(0).get("cache:banners:active"))
        targets = {}
        for label, (app, strip) in VARIANTS.items():
            extra = {"BENCH_STRIP": strip} if strip else {}
            server = start_gunicorn(
                app,
                {**env, **extra},
                workdir,
                label.strip("-"),
                2,
                BENCH / "strip_hooks.py" if strip else None,
            )
            stack.callback(server.stop)
            run_wrk(server.url + "/", label, 2, headers=[COOKIE])  # warm-up

            def run(server=server, label=label):
                return run_wrk(
                    server.url + "/",
                    label,
                    args.duration,
                    headers=[COOKIE],
                    cpu_seconds=lambda: cpu_seconds(server),
                )

            targets[label] = run
        summaries = interleave(targets, args.rounds, on_run=lambda n, r: print(f"round {n} {format_run(r)}"))
    base = summaries["baseline"]
    print(f"\n{'':12}{'req/s':>7}{'cpu us/req':>12}{'x baseline req/s':>18}")
    for label, summary in summaries.items():
        print(f"{label:12}{summary.rps:7.0f}{summary.cpu_us:12.0f}{summary.rps / base.rps:18.2f}")


if __name__ == "__main__":
    main()
