"""Homepage benchmark: warm-cache load against the baseline, the cold-cache stampede, and
the web workers' peak RSS. From the repo root (about two minutes):

    .venv/bin/python bench/homepage.py

Targets (issues 2 and 11): homepage req/s and worker CPU >= 0.85x the baseline's; exactly 1 banner query for 200
concurrent first requests at a cold cache; a web worker's peak RSS <= 80 MB. The method is in
docs/benchmarks.md. Everything runs on its own: a private redis-server, a scratch PostgreSQL
database (SQLite when no PostgreSQL answers), gunicorn on free loopback ports.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
from contextlib import ExitStack  # noqa: E402

from bench.harness import (  # noqa: E402
    RunDir,
    add_postgres_option,
    bench_env,
    cpu_seconds,
    flask_cli,
    start_gunicorn,
    start_services,
    wait_for,
    worker_memory,
)
from bench.loadgen import fetch, fire_at_once, format_run, interleave, paired_ratios, run_wrk  # noqa: E402

BENCH = Path(__file__).resolve().parent
RETURNING_VISITOR = "Cookie: vid=benchvisitor0001"  # a cookie the site could have issued
BANNER_QUERY = re.compile(r"\bFROM banner\b", re.IGNORECASE)
TARGET_RATIO, TARGET_QUERIES, TARGET_RSS_MB = 0.85, 1, 80  # issue 11


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="interleaved rounds per target (4: A B, B A, A B, B A)"
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per app (2)")
    parser.add_argument("--stampede-requests", type=int, default=200)
    parser.add_argument("--stampede-workers", type=int, default=8, help="sync workers racing (8)")
    add_postgres_option(parser)
    return parser.parse_args()


def main():
    args = parse_args()
    run = RunDir("homepage")
    run_dir = run.path
    with ExitStack() as stack:
        redis, database, settings = start_services(stack, run_dir, args.postgres, "homepage")
        database_url = settings["DATABASE_URL"]
        env = bench_env(settings)
        flask_cli(env, "init-db")
        flask_cli(env, "seed")
        print(f"database: {database_url}\nlogs: {run_dir}")
        stampede = cold_cache_stampede(args, env, run_dir, redis, database)
        load = warm_cache_load(args, env, run_dir, redis, stack)
    results = {"stampede": stampede, **load, "args": vars(args), "loadavg_1min": run.loadavg()}
    (run_dir / "results.json").write_text(json.dumps(results, indent=2))
    print_report(results)


def cold_cache_stampede(args, env, run_dir, redis, database):
    """200 first requests at once against a cold cache: how many banner queries reach the DB?"""
    query_log, ready_dir = run_dir / "stampede-queries.log", run_dir / "stampede-ready"
    ready_dir.mkdir()
    redis.wipe(0)  # our own server: no cached list and no last good copy
    scans_before = database.table_scans("banner") if database else None
    env = {**env, "BENCH_QUERY_LOG": str(query_log), "BENCH_READY_DIR": str(ready_dir)}
    workers = args.stampede_workers
    server = start_gunicorn("wsgi:app", env, run_dir, "stampede", workers, config=BENCH / "count_queries.py")
    try:
        wait_for(lambda: len(list(ready_dir.iterdir())) >= workers, 60, "the workers to load the app")
        started = time.monotonic()
        replies = fire_at_once(server.url + "/", args.stampede_requests)
        seconds = time.monotonic() - started
    finally:
        server.stop()
    lines = query_log.read_text().splitlines() if query_log.exists() else []
    full_pages = sum(1 for status, body in replies if status == 200 and body.count(b"data-banner-id=") == 4)
    return {
        "requests": len(replies),
        "workers": workers,
        "ok": sum(1 for status, _ in replies if status == 200),
        "pages_with_all_banners": full_pages,
        "seconds": round(seconds, 2),
        "banner_scans_at_database": None
        if database is None
        else database.table_scans("banner") - scans_before,
        "banner_statements_logged": sum(1 for line in lines if BANNER_QUERY.search(line)),
        "statements_logged": len(lines),
    }


def warm_cache_load(args, env, run_dir, redis, stack):
    """Interleaved wrk runs against the homepage and the baseline, both warm."""
    flask_cli(env, "cache", "rebuild")
    homepage = start_gunicorn("wsgi:app", env, run_dir, "homepage", args.workers)
    stack.callback(homepage.stop)
    status, page = fetch(homepage.url + "/", [RETURNING_VISITOR])
    assert status == 200 and page.count(b"data-banner-id=") == 4, page[:500]

    # The baseline serves the same banner list, padded to the homepage's size.
    redis.client(0).set("baseline:items", redis.client(0).get("cache:banners:active"))
    baseline_env = {**env, "BASELINE_REDIS_URL": redis.url(0)}
    probe = start_gunicorn("bench.baseline_app:app", baseline_env, run_dir, "baseline-probe", 1)
    wait_for(lambda: fetch(probe.url + "/")[0] == 200, 10, "the baseline")
    pad = max(0, len(page) - len(fetch(probe.url + "/")[1]))
    probe.stop()
    baseline_env["BASELINE_PAD_BYTES"] = str(pad)
    baseline = start_gunicorn("bench.baseline_app:app", baseline_env, run_dir, "baseline", args.workers)
    stack.callback(baseline.stop)
    sizes = {"homepage": len(page), "baseline": len(fetch(baseline.url + "/", [RETURNING_VISITOR])[1])}

    def wrk(server, label, duration=args.duration):
        return lambda: run_wrk(
            server.url + "/",
            label,
            duration,
            args.threads,
            args.connections,
            headers=[RETURNING_VISITOR],
            cpu_seconds=lambda: cpu_seconds(server),
        )

    for warm_up in (wrk(homepage, "warm-up", 2), wrk(baseline, "warm-up", 2)):
        warm_up()
    targets = {"homepage": wrk(homepage, "homepage"), "baseline": wrk(baseline, "baseline")}
    summaries = interleave(targets, args.rounds, on_run=lambda n, run: print(f"round {n} {format_run(run)}"))
    return {
        "sizes": sizes,
        "load": {
            label: {
                "rps": round(s.rps),
                "p50_ms": round(s.p50_ms, 2),
                "p99_ms": round(s.p99_ms, 2),
                "cpu_us_per_request": round(s.cpu_us),
                "errors": s.failed,
                "runs_rps": [round(run.rps) for run in s.runs],
            }
            for label, s in summaries.items()
        },
        "paired_ratios": [round(r, 3) for r in paired_ratios(summaries["homepage"], summaries["baseline"])],
        "rss_mb": {
            "homepage": _peaks(worker_memory(homepage)),
            "baseline": _peaks(worker_memory(baseline)),
        },
    }


def _peaks(memory):
    return [round(m["peak"], 1) for m in memory.values()]


def print_report(results):
    args, load, stampede = results["args"], results["load"], results["stampede"]
    home, base = load["homepage"], load["baseline"]
    ratio = home["rps"] / base["rps"]
    print(f"\nwrk -t{args['threads']} -c{args['connections']} -d{args['duration']}s, {args['rounds']} rounds")
    print(f"gunicorn: {args['workers']} sync workers per app; page sizes {results['sizes']} bytes")
    print(f"machine: {os.cpu_count()} cores, 1-minute load average {results['loadavg_1min']} (start, end)")
    print(f"{'':10}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}{'cpu us/req':>12}{'errors':>8}   runs (req/s)")
    for label, row in load.items():
        runs = " ".join(str(r) for r in row["runs_rps"])
        print(
            f"{label:10}{row['rps']:>8}{row['p50_ms']:>9.2f}{row['p99_ms']:>9.2f}"
            f"{row['cpu_us_per_request']:>12}{row['errors']:>8}   {runs}"
        )
    verdict = lambda ok: "ok" if ok else "MISSED"  # noqa: E731
    paired = statistics.median(results["paired_ratios"])
    cpu_ratio = base["cpu_us_per_request"] / home["cpu_us_per_request"]
    print(
        f"ratio homepage/baseline: {ratio:.2f} (target >= {TARGET_RATIO}) {verdict(ratio >= TARGET_RATIO)}; "
        f"median of the rounds' ratios {paired:.2f}"
    )
    # On a shared machine req/s swings with the neighbours; CPU per request hardly does.
    print(
        f"baseline/homepage worker CPU per request: {cpu_ratio:.2f} (same target) "
        f"{verdict(cpu_ratio >= TARGET_RATIO)}"
    )
    counted = stampede["banner_scans_at_database"]
    count = counted if counted is not None else stampede["banner_statements_logged"]
    print(
        f"cold-cache stampede: {stampede['requests']} requests on {stampede['workers']} workers, "
        f"{stampede['ok']} answered 200, {stampede['pages_with_all_banners']} with all 4 banners, "
        f"in {stampede['seconds']} s; banner queries: "
        f"{'(no PostgreSQL)' if counted is None else counted} counted by PostgreSQL, "
        f"{stampede['banner_statements_logged']} logged by the workers "
        f"(target {TARGET_QUERIES}) {verdict(count == TARGET_QUERIES)}"
    )
    peak = max(results["rss_mb"]["homepage"])
    print(
        f"web worker peak RSS: {peak:.1f} MB (workers {results['rss_mb']['homepage']}, "
        f"baseline {results['rss_mb']['baseline']}; target <= {TARGET_RSS_MB}) {verdict(peak <= TARGET_RSS_MB)}"
    )


if __name__ == "__main__":
    main()
