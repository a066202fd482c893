"""Real services for the tests: a private redis-server, Celery workers, gunicorn."""

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import redis

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise TimeoutError(f"timed out after {timeout}s waiting for {what}")


@contextmanager
def counting_round_trips():
    """Counts the Redis round trips (socket writes: a pipeline is one) made in the body, by any
    client of this process. Yields the list of packed commands sent."""
    original = redis.connection.Connection.send_packed_command
    sends = []

    def counting(self, command, *args, **kwargs):
        sends.append(command)
        return original(self, command, *args, **kwargs)

    redis.connection.Connection.send_packed_command = counting
    try:
        yield sends
    finally:
        redis.connection.Connection.send_packed_command = original


CSRF_TOKEN = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'  # a form's input
    r'|name="csrf-token" content="([^"]+)"'  # the <meta> the pages' JavaScript reads
)


def csrf_token(client, url):
    """The CSRF token the page at `url` renders (in a form, or in its <meta> for fetch())."""
    page = client.get(url).get_data(as_text=True)
    match = CSRF_TOKEN.search(page)
    assert match, f"no CSRF token on {url}"
    return next(group for group in match.groups() if group)


def command_calls(server, name):
    """How often `server` has run the command `name` (INFO commandstats)."""
    return server.client().info("commandstats").get(f"cmdstat_{name}", {}).get("calls", 0)


class RedisServer:
    """A redis-server of the test run's own, on a free port, with nothing on disk (or, with
    `persistent`, an append-only file written on every command, as a production Redis keeps).

    Being ours, it may be wiped between tests and stopped, restarted or killed to test outages."""

    def __init__(self, workdir, persistent=False, replica_of=None):
        self.persistent = persistent
        self.replica_of = replica_of
        self.binary = shutil.which("redis-server")
        if not self.binary:
            raise RuntimeError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.port = free_port()
        self.workdir = Path(workdir)
        self.process = None

    def url(self, db=0):
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db=0):
        return redis.Redis(port=self.port, db=db, socket_timeout=2)

    def start(self):
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "yes" if self.persistent else "no",
                "--appendfsync",
                "always",
                "--dir",
                str(self.workdir),
                "--loglevel",
                "warning",
                *(["--replicaof", "127.0.0.1", str(self.replica_of)] if self.replica_of else []),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self._answers, 10, f"redis-server on port {self.port}")

    def _answers(self):
        try:
            return self.client().ping()
        except redis.exceptions.ConnectionError:
            return False

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def restart(self, pause=0.0):
        """Stop (SIGTERM, as `systemctl restart` does), wait `pause` seconds, start again."""
        self.stop()
        time.sleep(pause)
        self.start()

    @contextmanager
    def down(self):
        """Redis is gone for the body of the `with`, then comes back (empty) on the same port."""
        self.stop()
        try:
            yield
        finally:
            self.start()

    @contextmanager
    def stalled(self):
        """Redis accepts connections but answers nothing (SIGSTOP), then resumes."""
        self.process.send_signal(signal.SIGSTOP)
        try:
            yield
        finally:
            self.process.send_signal(signal.SIGCONT)

    def wipe(self, db, keep=()):
        """Empty one database of this private server (never a server we did not start), but
        for the keys in `keep`."""
        assert self.process is not None, "only the test run's own redis-server is wiped"
        client = self.client(db)
        keys = [key for key in client.scan_iter(count=1000) if key.decode() not in keep]
        for start in range(0, len(keys), 1000):
            client.unlink(*keys[start : start + 1000])


class Service:
    """A subprocess (worker, beat, gunicorn) with its output in a log file."""

    def __init__(self, name, args, env, logdir):
        self.name = name
        self.log_path = Path(logdir) / f"{name}.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 (open for the life of the process)
        self.process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def tail(self, lines=40):
        if not self.log.closed:
            self.log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def alive(self):
        return self.process.poll() is None

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.alive():
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        self.log.close()

    def kill(self):
        """SIGKILL: the process dies at once, as in a crash."""
        self.stop(signal.SIGKILL)


def service_env(settings):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "CELERY_"))}
    env.update({key: str(value) for key, value in settings.items()})
    env["APP_ENV"] = "testing"
    env["PYTHONUNBUFFERED"] = "1"
    return env


def start_worker(settings, logdir, name="worker", concurrency=4, extra_args=()):
    """A real `celery -A tasks worker` against the test Redis; returns once it answers a ping."""
    worker = Service(
        name,
        [
            str(VENV_BIN / "celery"),
            "-A",
            "tasks",
            "worker",
            "--loglevel",
            "INFO",
            "--pool",
            "threads",
            "--concurrency",
            str(concurrency),
            "--hostname",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            *extra_args,
        ],
        service_env(settings),
        logdir,
    )
    return worker


def start_beat(settings, logdir, name="beat"):
    """A real `celery -A tasks beat` (its schedule state lives in Redis: no file)."""
    return Service(
        name,
        [
            str(VENV_BIN / "celery"),
            "-A",
            "tasks",
            "beat",
            "--loglevel",
            "INFO",
        ],
        service_env(settings),
        logdir,
    )


def wait_for_worker(celery_app, worker, timeout=30):
    def answers():
        if not worker.alive():
            raise RuntimeError(f"{worker.name} exited:\n{worker.tail()}")
        try:
            replies = celery_app.control.ping(timeout=0.5)
        except (redis.exceptions.ConnectionError, OSError):
            return False  # a connection from before a test's Redis restart: ask again
        return any(worker.name in next(iter(reply)) for reply in replies)

    try:
        wait_for(answers, timeout, worker.name)
    except TimeoutError:
        raise TimeoutError(f"{worker.name} did not answer a ping:\n{worker.tail()}") from None


def start_gunicorn(settings, logdir, workers=2, name="gunicorn"):
    port = free_port()
    server = Service(
        name,
        [
            str(VENV_BIN / "gunicorn"),
            "wsgi:app",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
        ],
        service_env(settings),
        logdir,
    )
    server.url = f"http://127.0.0.1:{port}"

    def answers():
        if not server.alive():
            raise RuntimeError(f"gunicorn exited:\n{server.tail()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            return False

    wait_for(answers, 30, "gunicorn")
    return server


class PostgresServer:
    """A PostgreSQL server of the test's own (initdb + pg_ctl on a free port, trust auth), so a
    test may stop and restart it under traffic. As root it runs as the `postgres` user, as
    PostgreSQL insists. `unavailable()` says why it cannot be had here, or None."""

    def __init__(self):
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")) or [shutil.which("initdb")]
        self.bin = Path(found[-1]).parent if found[-1] else None
        self.port = free_port()
        self.dir = None

    def unavailable(self):
        if self.bin is None:
            return "PostgreSQL's initdb is not installed (Debian: apt-get install postgresql)"
        if os.geteuid() == 0 and not shutil.which("runuser"):
            return "running as root without runuser to start PostgreSQL as its own user"
        return None

    def url(self, database="postgres"):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, *args):
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=60)

    def start(self):
        if self.dir is None:
            self.dir = Path(tempfile.mkdtemp(prefix="test-pg-"))
            self.dir.chmod(0o755)
            if os.geteuid() == 0:
                os.chown(self.dir, pwd.getpwnam("postgres").pw_uid, -1)
            self._run("initdb", "-D", str(self.dir / "data"), "-A", "trust", "-U", "postgres", "--no-sync")
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.dir / "data"), "-o", options, "-l", str(self.dir / "log"), "-w", "start"
        )

    def stop(self):
        self._run("pg_ctl", "-D", str(self.dir / "data"), "-m", "fast", "-w", "stop")

    def remove(self):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


class SentinelCluster:
    """A Redis master, a replica and three Sentinels (`redis-server --sentinel`) on free ports,
    failing over 2 s after the master stops answering."""

    MASTER = "shop"

    def __init__(self, workdir):
        self.dir = Path(workdir)
        self.master = RedisServer(self.dir / "master", persistent=True)
        self.replica = RedisServer(self.dir / "replica", persistent=True, replica_of=self.master.port)
        self.sentinel_ports = [free_port() for _ in range(3)]
        self.sentinels = []

    def url(self, db=0):
        hosts = ",".join(f"127.0.0.1:{port}" for port in self.sentinel_ports)
        return f"redis+sentinel://{hosts}/{self.MASTER}/{db}"

    def start(self):
        for server in (self.master, self.replica):
            server.workdir.mkdir(parents=True, exist_ok=True)
            server.start()
        wait_for(
            lambda: self.replica.client().info("replication")["master_link_status"] == "up", 10, "the replica"
        )
        for port in self.sentinel_ports:
            conf = self.dir / f"sentinel-{port}.conf"
            conf.write_text(
                f"port {port}\nbind 127.0.0.1\ndir {self.dir}\n"
                f"sentinel monitor {self.MASTER} 127.0.0.1 {self.master.port} 2\n"
                f"sentinel down-after-milliseconds {self.MASTER} 2000\n"
                f"sentinel failover-timeout {self.MASTER} 10000\n"
                f"sentinel parallel-syncs {self.MASTER} 1\n"
            )
            process = subprocess.Popen(
                [shutil.which("redis-server"), str(conf), "--sentinel"], stdout=subprocess.DEVNULL
            )
            self.sentinels.append(process)
        wait_for(lambda: self.master_port() == self.master.port, 10, "the Sentinels to know the master")

    def master_port(self):
        for port in self.sentinel_ports:
            try:
                reply = redis.Redis(port=port, socket_timeout=1).sentinel_get_master_addr_by_name(self.MASTER)
            except redis.exceptions.ConnectionError:
                continue
            if reply:
                return int(reply[1])
        return None

    def stop(self):
        for process in self.sentinels:
            process.terminate()
            process.wait(10)
        self.master.stop()
        self.replica.stop()
