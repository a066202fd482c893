"""Load with wrk and the numbers it gives: req/s, p50/p99 latency, errors.

The machine is small and shared, so one run says little: `interleave` runs the targets in
turns (A B, B A, A B, ...) so that a noisy minute hurts both, and `summarize` takes medians.
"""

import json
import shutil
import statistics
import subprocess
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
    def failed(self):
        return sum(run.failed for run in self.runs)


def run_wrk(url, label, duration=10, threads=1, connections=16, headers=()):
    """One wrk run against `url`; the latency percentiles come from report.lua."""
    wrk = shutil.which("wrk")
    if not wrk:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    args = [wrk, "--threads", str(threads), "--connections", str(connections)]
    args += ["--duration", f"{duration}s", "--timeout", "5s", "--script", str(REPORT_SCRIPT)]
    for header in headers:
        args += ["--header", header]
    done = subprocess.run([*args, url], capture_output=True, text=True, timeout=duration + 30, check=True)
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
    failed = f", {run.failed} errors {run.errors}" if run.failed else ""
    return f"{run.label:>9}: {run.rps:8.0f} req/s  p50 {run.p50_ms:6.2f} ms  p99 {run.p99_ms:6.2f} ms{failed}"
