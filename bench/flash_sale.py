"""Flash-sale benchmark: the Buy endpoint under wrk, many logged-in users against a stock far
smaller than the clicks, interleaved with the baseline page; then the orders are checked.
From the repo root (about two minutes):

    .venv/bin/python bench/flash_sale.py

Prints, per target: req/s, p50/p99, the ratio to the baseline (target >= 0.7); per buy round:
answers by status, orders written, oversell (must be 0), the time from the first click to the
last order written; and the Celery worker's peak RSS. The method is in docs/benchmarks.md.
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
    child_pids,
    cpu_seconds,
    flask_cli,
    memory_mb,
    start_gunicorn,
    start_services,
    worker_memory,
)
from bench.loadgen import REPORT_SCRIPT, fetch, format_run, interleave, paired_ratios, run_wrk  # noqa: E402
from tests.support import VENV_BIN, Service, wait_for, wait_for_worker  # noqa: E402

BENCH = Path(__file__).resolve().parent
BUY_SCRIPT = BENCH / "flash_sale_buy.lua"
TARGET_RATIO = 0.8  # issue 11


def buy_options(description, rounds):
    """The options every Buy benchmark takes (this one and bench/flash_sale_hosts.py)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--duration", type=int, default=10, help="seconds per wrk run (10)")
    parser.add_argument(
        "--rounds", type=int, default=rounds, help=f"interleaved rounds per target ({rounds})"
    )
    parser.add_argument("--connections", type=int, default=16, help="wrk connections in all (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers per web server (2)")
    parser.add_argument("--users", type=int, default=1000, help="logged-in users taking turns (1000)")
    parser.add_argument("--stock", type=int, default=100, help="units per sale; a new sale each round (100)")
    add_postgres_option(parser)
    return parser


def parse_args():
    parser = buy_options(__doc__.split("\n\n")[0], rounds=4)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (1)")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="celery worker processes (2)")
    return parser.parse_args()


def main():
    args = parse_args()
    run = RunDir("flash-sale")
    run_dir = run.path
    with ExitStack() as stack:
        redis, _, env, app, users_file = prepare_site(stack, run_dir, args, "flash_sale")
        worker = start_celery_worker(env, run_dir, args.worker_concurrency, app)
        stack.callback(worker.stop)
        results = load(args, env, run_dir, redis, app, worker, users_file, stack)
    results["loadavg_1min"] = run.loadavg()
    results["args"] = vars(args)
    (run_dir / "results.json").write_text(json.dumps(results, indent=2))
    print_report(results)


def prepare_site(stack, run_dir, args, name):
    """Private Redis, a scratch database migrated, the site in this process, and `args.users`
    logged-in users: (redis, database or None, environment, app, users file)."""
    redis, database, settings = start_services(stack, run_dir, args.postgres, name)
    env = bench_env(settings)
    flask_cli(env, "init-db")
    print(f"database: {settings['DATABASE_URL']}\nlogs: {run_dir}")
    app = site_app(settings)
    users_file = run_dir / "users.tsv"
    users_file.write_text(make_users(app, args.users))
    return redis, database, env, app, users_file


def create_sale(env, name, stock):
    """A new 30-minute sale of `stock` units at 9.99, made as an operator does (the CLI); its id."""
    created = flask_cli(
        env,
        "flash-sale",
        "create",
        "--name",
        name,
        "--price",
        "9.99",
        "--stock",
        str(stock),
        "--minutes",
        "30",
    )
    return int(re.search(r"Flash sale (\d+) created", created).group(1))


def site_app(settings):
    """The site in this process (production config), to make users and read the results."""
    from webapp import create_app

    overrides = dict(settings)
    return create_app("production", overrides)


def make_users(app, count):
    """`count` users, each with a session cookie and CSRF token as the site itself issues
    them (Flask-WTF's generate_csrf in a request context): "cookie<TAB>token" lines."""
    from flask import session
    from flask_wtf.csrf import generate_csrf
    from sqlalchemy import insert, select

    from webapp.auth.models import User
    from webapp.extensions import db

    with app.app_context():
        db.session.execute(insert(User), [{"phone": f"+86137{n:08d}"} for n in range(count)])
        db.session.commit()
        user_ids = list(db.session.scalars(select(User.id).order_by(User.id)))
    serializer = app.session_interface.get_signing_serializer(app)
    lines = []
    for user_id in user_ids:
        with app.test_request_context():
            token = generate_csrf()
            cookie = serializer.dumps({**session, "_user_id": str(user_id), "_fresh": True})
        lines.append(f"{cookie}\t{token}\n")
    return "".join(lines)


def start_celery_worker(env, run_dir, concurrency, app):
    """`celery -A tasks worker` as an operator starts it (prefork), `concurrency` processes."""
    worker = Service(
        "celery-worker",
        [
            str(VENV_BIN / "celery"),
            "-A",
            "tasks",
            "worker",
            "--loglevel",
            "WARNING",
            "--concurrency",
            str(concurrency),
        ],
        env,
        run_dir,
    )
    worker.name = "celery"  # its hostname starts with celery@
    wait_for_worker(app.extensions["celery"], worker, timeout=60)
    return worker


def load(args, env, run_dir, redis, app, worker, users_file, stack):
    site = start_gunicorn("wsgi:app", env, run_dir, "site", args.workers)
    stack.callback(site.stop)
    baseline = start_gunicorn(
        "bench.baseline_app:app",
        {**env, "BASELINE_REDIS_URL": redis.url(0)},
        run_dir,
        "baseline",
        args.workers,
    )
    stack.callback(baseline.stop)
    assert fetch(baseline.url + "/")[0] == 200
    os.environ.update(BENCH_USERS_FILE=str(users_file), BENCH_REPORT_LUA=str(REPORT_SCRIPT))
    rounds = []

    def buy_round(duration=args.duration, label="buy"):
        sale_id = create_sale(env, f"Bench {len(rounds)}", args.stock)
        status_file = run_dir / f"status-{sale_id}.json"
        os.environ["BENCH_STATUS_FILE"] = str(status_file)
        clicked_at = time.time()
        run = run_wrk(
            f"{site.url}/flash-sales/{sale_id}/buy",
            label,
            duration,
            args.threads,
            args.connections,
            cpu_seconds=lambda: cpu_seconds(site),
            script=BUY_SCRIPT,
        )
        if label == "buy":
            rounds.append(
                check_sale(app, env, sale_id, args.stock, json.loads(status_file.read_text()), clicked_at)
            )
        return run

    def baseline_round(duration=args.duration, label="baseline"):
        return run_wrk(
            baseline.url + "/",
            label,
            duration,
            args.threads,
            args.connections,
            cpu_seconds=lambda: cpu_seconds(baseline),
        )

    buy_round(2, "warm-up")
    baseline_round(2, "warm-up")
    summaries = interleave(
        {"buy": buy_round, "baseline": baseline_round},
        args.rounds,
        on_run=lambda n, run: print(f"round {n} {format_run(run)}"),
    )
    buy, base = summaries["buy"], summaries["baseline"]
    return {
        "load": {
            s.label: {
                "rps": round(s.rps),
                "p50_ms": round(s.p50_ms, 2),
                "p99_ms": round(s.p99_ms, 2),
                "cpu_us": round(s.cpu_us) if s.cpu_us else None,
            }
            for s in (buy, base)
        },
        "ratio": round(buy.rps / base.rps, 3),
        "paired_ratio": round(statistics.median(paired_ratios(buy, base)), 3),
        "cpu_ratio": round(base.cpu_us / buy.cpu_us, 3) if buy.cpu_us and base.cpu_us else None,
        "buy_rounds": rounds,
        "celery_worker_peak_rss_mb": celery_memory(worker),
        "web_worker_peak_rss_mb": round(max(m["peak"] for m in worker_memory(site).values()), 1),
    }


def check_sale(app, env, sale_id, stock, statuses, clicked_at):
    """After a buy round: wait for the worker, then count what was sold and check it."""
    from sqlalchemy import func, select

    from webapp.clock import as_utc
    from webapp.extensions import db
    from webapp.flash_sale import keys
    from webapp.flash_sale.models import FlashSale, Order

    def written():
        with app.app_context():
            count = db.session.scalar(select(func.count()).select_from(Order).where(Order.sale_id == sale_id))
            db.session.remove()
            return count

    wait_for(lambda: written() >= statuses["202"], 120, f"the worker to write sale {sale_id}'s orders")
    time.sleep(1)  # anything more would be an oversell: give it the chance to show
    with app.app_context():
        orders = db.session.execute(
            select(Order.user_id, Order.created_at).where(Order.sale_id == sale_id)
        ).all()
        remaining = db.session.get(FlashSale, sale_id).remaining_stock
        redis_stock = int(app.extensions["redis"].hget(keys.sale(sale_id), "stock"))
        last_written = max(as_utc(created).timestamp() for _, created in orders) if orders else None
        db.session.remove()
    reconcile = flask_cli(env, "flash-sale", "reconcile", str(sale_id))
    return {
        "sale_id": sale_id,
        "answers": statuses,
        "orders": len(orders),
        "oversell": max(0, len(orders) - stock),
        "duplicate_buyers": len(orders) - len({user for user, _ in orders}),
        "db_stock_left": remaining,
        "redis_stock_left": redis_stock,
        "reconcile_clean": "no drift" in reconcile,
        "first_click_to_last_order_s": round(last_written - clicked_at, 2) if last_written else None,
    }


def celery_memory(worker):
    """Peak RSS (VmHWM) of the worker's main process and of its largest pool process, MB."""
    children = [memory_mb(pid)["peak"] for pid in child_pids(worker.process.pid)]
    return {
        "main": round(memory_mb(worker.process.pid)["peak"], 1),
        "pool_max": round(max(children, default=0), 1),
        "pool_processes": len(children),
    }


def print_report(results):
    print("\n== Flash sale: buy endpoint vs baseline ==")
    for label, figures in results["load"].items():
        cpu = f"  cpu {figures['cpu_us']} us/req" if figures["cpu_us"] else ""
        print(
            f"{label:>9}: {figures['rps']:6d} req/s  p50 {figures['p50_ms']:6.2f} ms  p99 {figures['p99_ms']:6.2f} ms{cpu}"
        )
    verdict = "met" if results["ratio"] >= TARGET_RATIO else "NOT met"
    print(
        f"ratio buy/baseline: {results['ratio']} (paired rounds: {results['paired_ratio']}, "
        f"cpu: {results['cpu_ratio']}); target >= {TARGET_RATIO}: {verdict}"
    )
    for sale in results["buy_rounds"]:
        print(
            f"sale {sale['sale_id']}: answers {sale['answers']}, orders {sale['orders']}, "
            f"oversell {sale['oversell']}, duplicate buyers {sale['duplicate_buyers']}, "
            f"stock left db/redis {sale['db_stock_left']}/{sale['redis_stock_left']}, "
            f"reconcile {'clean' if sale['reconcile_clean'] else 'DRIFT'}, "
            f"first click to last order {sale['first_click_to_last_order_s']} s"
        )
    print(
        f"celery worker peak RSS: {results['celery_worker_peak_rss_mb']} MB; "
        f"web worker peak RSS: {results['web_worker_peak_rss_mb']} MB"
    )
    print(f"load average (1 min) start/end: {results['loadavg_1min']}")


if __name__ == "__main__":
    main()
