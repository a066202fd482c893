"""Load with wrk and the numbers it gives: req/s, p50/p99 latency, errors.

The machine is small and shared, so one run says little: `interleave` runs the targets in
turns (A B, B A, A B, ...) so that a noisy minute hurts both, and `summarize` takes medians.
"""

import http.client
import json
import shutil
import statistics
import subprocess
import threading
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPORT_SCRIPT = Path(__file__).resolve().parent / "report.lua"
MARK = "BENCH_JSON "


@dataclass(frozen=True)
class WrkRun:
    label: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict
    cpu_us: float | None = None  # the server's CPU time per request, when measured

    @property
    def rps(self):
        return self.requests / self.seconds

    @property
    def failed(self):
        return sum(self.errors.values())


@dataclass(frozen=True)
class Summary:
    label: str
    runs: list

    @property
    def rps(self):
        return statistics.median(run.rps for run in self.runs)

    @property
    def p50_ms(self):
        return statistics.median(run.p50_ms for run in self.runs)

    @property
    def p99_ms(self):
        return statistics.median(run.p99_ms for run in self.runs)

    @property
    def cpu_us(self):
        measured = [run.cpu_us for run in self.runs if run.cpu_us is not None]
        return statistics.median(measured) if measured else None

    @property
    def failed(self):
        return sum(run.failed for run in self.runs)


def paired_ratios(first, second):
    """req/s of `first` over `second`, round by round: runs next to each other in time
    shared the same neighbours, so their ratio is steadier than the ratio of medians."""
    return [a.rps / b.rps for a, b in zip(first.runs, second.runs, strict=True)]


def run_wrk(
    url,
    label,
    duration=10,
    threads=1,
    connections=16,
    headers=(),
    cpu_seconds=None,
    script=REPORT_SCRIPT,
    env=None,
):
    """One wrk run against `url`; the latency percentiles come from report.lua (or from
    `script`, which must print the same BENCH_JSON line, e.g. one that also sets wrk.method
    and wrk.body for a POST). With `cpu_seconds` (a callable giving the server's CPU time),
    also the CPU per request. `env`: wrk's environment (default: this process's), for scripts
    that read their files from it."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    args = [wrk, "--threads", str(threads), "--connections", str(connections)]
    args += ["--duration", f"{duration}s", "--timeout", "5s", "--script", str(script)]
    for header in headers:
        args += ["--header", header]
    cpu_before = cpu_seconds() if cpu_seconds else None
    done = subprocess.run(
        [*args, url], capture_output=True, text=True, timeout=duration + 30, check=True, env=env
    )
    cpu_used = cpu_seconds() - cpu_before if cpu_seconds else None
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith(MARK)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no {MARK.strip()} line:\n{done.stdout}{done.stderr}")
    data = json.loads(line[len(MARK) :])
    errors = {key: int(data[key]) for key in data if key.endswith(("_errors", "timeouts"))}
    return WrkRun(
        label=label,
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        cpu_us=None if cpu_used is None else cpu_used * 1e6 / max(1, int(data["requests"])),
    )


def interleave(targets, rounds, on_run=None):
    """Run each `targets` callable (label -> () -> WrkRun) once per round, reversing the
    order every other round (A B, B A, ...). Returns {label: Summary}."""
    runs = {label: [] for label in targets}
    labels = list(targets)
    for number in range(rounds):
        for label in labels if number % 2 == 0 else reversed(labels):
            run = targets[label]()
            runs[label].append(run)
            if on_run:
                on_run(number + 1, run)
    return {label: Summary(label, found) for label, found in runs.items()}


def fetch(url, headers=()):
    """GET `url` once: (status, body bytes). For sanity checks before a load run."""
    request = urllib.request.Request(url, headers=dict(h.split(": ", 1) for h in headers))
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


def format_run(run):
    cpu = f"  cpu {run.cpu_us:4.0f} us/req" if run.cpu_us is not None else ""
    failed = f", {run.failed} errors {run.errors}" if run.failed else ""
    return f"{run.label:>9}: {run.rps:6.0f} req/s  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms{cpu}{failed}"


def fire_at_once(url, count, headers=(), timeout=30):
    """`count` GETs of `url` released together: each on its own connection, opened first,
    then all sent the moment the last thread is ready. Returns [(status, body)]; a request
    that failed gives (None, error text)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    ready = threading.Barrier(count)
    results = [None] * count

    def one(index):
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
        try:
            conn.connect()
            ready.wait(timeout)
            conn.request("GET", path, headers=dict(h.split(": ", 1) for h in headers))
            response = conn.getresponse()
            results[index] = (response.status, response.read())
        except (OSError, threading.BrokenBarrierError, http.client.HTTPException) as error:
            results[index] = (None, repr(error).encode())
        finally:
            conn.close()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
