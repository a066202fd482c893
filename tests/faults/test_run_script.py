"""scripts/run.sh, the README's command: a killed worker is started again within seconds and
the site never stops answering."""

import os
import signal
import subprocess
import time

import requests

from tests.support import ROOT, RedisServer, free_port, wait_for


def descendants(pid):
    """{pid: command line} of every process under `pid`."""
    table = subprocess.run(["ps", "-ww", "-eo", "pid=,ppid=,args="], capture_output=True, text=True).stdout
    children, commands = {}, {}
    for line in table.splitlines():
        child, parent, command = line.split(None, 2)
        children.setdefault(int(parent), []).append(int(child))
        commands[int(child)] = command
    found, todo = {}, [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = commands[child]
            todo.append(child)
    return found


def worker_pid(site_pid):
    """The Celery worker's main process (the supervisor's child)."""
    return next(
        (
            pid
            for pid, command in descendants(site_pid).items()
            if command.startswith(("celery", "/")) and " worker" in command and "supervise" not in command
        ),
        None,
    )


def test_run_script_restarts_a_killed_worker_and_keeps_serving(tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    port = free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "CELERY_", "APP_ENV"))},
        "REDIS_URL": redis.url(0),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.db'}",
        "SMS_BACKEND": "file",
        "SMS_OUTBOX_PATH": str(tmp_path / "outbox.jsonl"),
        "WEB_PORT": str(port),
        "WORKER_CONCURRENCY": "1",
    }
    log = open(tmp_path / "run.log", "w")  # noqa: SIM115 (closed below)
    site = subprocess.Popen(
        [str(ROOT / "scripts" / "run.sh")],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _status(f"{url}/healthz") == 200, 120, "the site to answer with a live worker")
        first = worker_pid(site.pid)
        assert first, descendants(site.pid)
        os.kill(first, signal.SIGKILL)
        answers, deadline = [], time.monotonic() + 20
        while time.monotonic() < deadline:
            answers.append(_status(f"{url}/"))
            second = worker_pid(site.pid)
            if second and second != first and _status(f"{url}/healthz") == 200:
                break
            time.sleep(0.2)
        else:
            raise AssertionError(
                f"the worker did not come back:\n{(tmp_path / 'run.log').read_text()[-3000:]}"
            )
        assert set(answers) == {200}  # the homepage never stopped
        assert site.poll() is None
        assert "supervise: worker exited" in (tmp_path / "run.log").read_text()
    finally:
        os.killpg(site.pid, signal.SIGTERM)
        try:
            site.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(site.pid, signal.SIGKILL)
            site.wait(5)
        log.close()
        redis.stop()


def _status(url):
    try:
        return requests.get(url, timeout=2).status_code
    except requests.RequestException:
        return None
