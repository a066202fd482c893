"""Flash-sale benchmark across hosts: the Buy endpoint on two web servers and two workers (on
loopback, sharing one Redis and PostgreSQL) against one web server and one worker, in the same
run. From the repo root (about two minutes):

    .venv/bin/python bench/flash_sale_hosts.py

Prints, per setup and round: req/s (both hosts' wrk runs added up), orders written, orders
written per second (first click to last order), oversell (must be 0). On one 2-core machine the
"hosts" share the cores, so this measures that the site scales out correctly, not how far.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from anywhere

import json  # noqa: E402
import os  # noqa: E402
import time  # noqa: E402
from concurrent.futures import ThreadPoolExecutor  # noqa: E402
from contextlib import ExitStack  # noqa: E402

from bench.flash_sale import (  # noqa: E402
    BUY_SCRIPT,
    buy_options,
    check_sale,
    create_sale,
    prepare_site,
    start_celery_worker,
)
from bench.harness import RunDir, start_gunicorn  # noqa: E402
from bench.loadgen import REPORT_SCRIPT, run_wrk  # noqa: E402

BENCH = Path(__file__).resolve().parent


def parse_args():
    return buy_options(__doc__.split("\n\n")[0], rounds=2).parse_args()


def main():
    args = parse_args()
    run_dir = RunDir("flash-sale-hosts").path
    with ExitStack() as stack:
        _, database, env, app, users_file = prepare_site(stack, run_dir, args, "flash_sale_hosts")
        hosts = []
        for name in ("host-a", "host-b"):
            instance = run_dir / name
            instance.mkdir()
            host = start_gunicorn(
                "wsgi:app", {**env, "INSTANCE_PATH": str(instance)}, instance, name, args.workers
            )
            stack.callback(host.stop)
            hosts.append(host)
        first_worker = start_celery_worker(env, run_dir, 2, app)
        stack.callback(first_worker.stop)
        rounds = {"one host": [], "two hosts": []}
        for number in range(args.rounds):
            order = ["one host", "two hosts"] if number % 2 == 0 else ["two hosts", "one host"]
            for setup in order:
                second_worker = None
                if setup == "two hosts":  # a second worker, as a second host would run
                    second_worker = start_celery_worker(env, run_dir / "host-b", 2, app)
                hosts_used = hosts[:1] if setup == "one host" else hosts
                try:
                    result = buy_round(args, env, app, run_dir, users_file, hosts_used, f"{setup} {number}")
                finally:
                    if second_worker:
                        second_worker.stop()
                rounds[setup].append(result)
                print(f"round {number + 1} {setup}: {result}")
        print_report(rounds, database is not None)
        (run_dir / "results.json").write_text(json.dumps({"rounds": rounds, "args": vars(args)}, indent=2))


def buy_round(args, env, app, run_dir, users_file, hosts, label):
    sale_id = create_sale(env, label, args.stock)
    clicked_at = time.time()

    def hammer(index_host):
        index, host = index_host
        status_file = run_dir / f"status-{sale_id}-{index}.json"
        wrk_env = {**os.environ, "BENCH_USERS_FILE": str(users_file), "BENCH_REPORT_LUA": str(REPORT_SCRIPT)}
        wrk_env["BENCH_STATUS_FILE"] = str(status_file)
        connections = max(1, args.connections // len(hosts))
        run = run_wrk(
            f"{host.url}/flash-sales/{sale_id}/buy",
            label,
            args.duration,
            1,
            connections,
            script=BUY_SCRIPT,
            env=wrk_env,
        )
        return run, json.loads(status_file.read_text())

    with ThreadPoolExecutor(len(hosts)) as pool:
        runs = list(pool.map(hammer, enumerate(hosts)))
    statuses = {}
    for _, counted in runs:
        for status, count in counted.items():
            statuses[status] = statuses.get(status, 0) + count
    sale = check_sale(app, env, sale_id, args.stock, statuses, clicked_at)
    seconds = sale["first_click_to_last_order_s"]
    return {
        "rps": round(sum(run.rps for run, _ in runs)),
        "orders": sale["orders"],
        "orders_per_s": round(sale["orders"] / seconds, 1) if seconds else None,
        "oversell": sale["oversell"],
        "duplicate_buyers": sale["duplicate_buyers"],
        "reconcile_clean": sale["reconcile_clean"],
    }


def print_report(rounds, on_postgres):
    print(f"\n== Buy across hosts ({'PostgreSQL' if on_postgres else 'SQLite'}) ==")
    for setup, results in rounds.items():
        rps = sorted(r["rps"] for r in results)
        print(
            f"{setup:>9}: req/s {rps}, orders/s {[r['orders_per_s'] for r in results]}, "
            f"oversell {[r['oversell'] for r in results]}, reconcile clean {all(r['reconcile_clean'] for r in results)}"
        )
    one = sorted(r["rps"] for r in rounds["one host"])[len(rounds["one host"]) // 2]
    two = sorted(r["rps"] for r in rounds["two hosts"])[len(rounds["two hosts"]) // 2]
    print(f"two hosts / one host, req/s (medians): {two / one:.2f}")


if __name__ == "__main__":
    main()
