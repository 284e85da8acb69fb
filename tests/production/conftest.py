"""The production stack as real processes: PostgreSQL 15, Redis (append-only, so a restart keeps
its queue), gunicorn and two prefork Celery workers, in a throw-away folder.

Without the binaries the tests skip saying how to install them; in CI (CI set) they fail.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]
INSTALL = "apt-get install redis-server postgresql (.ci/run does this)"


def postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    return found[-1].parent if found else None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (local)
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


class Stack:
    def __init__(self, folder: Path, pg_bin: Path):
        self.folder, self.pg_bin = folder, pg_bin
        self.pg_port, self.redis_port, self.web_port = free_port(), free_port(), free_port()
        self.pg_data = folder / "pg"
        self.out = folder / "out"
        self.base = f"http://127.0.0.1:{self.web_port}"
        self.database_url = f"postgres://designer@127.0.0.1:{self.pg_port}/designer"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "CACHE_URL": f"redis://127.0.0.1:{self.redis_port}/1",
            "DEBUG": "0",
            "SECRET_KEY": "production-stack-test-" + "k" * 40,
            "SIGNING_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_COOKIES": "0",
            "VAR_DIR": str(folder / "var"),
            "PLUGINS_OUT": str(self.out),
        }
        self.redis: subprocess.Popen | None = None
        self.web: subprocess.Popen | None = None
        self.workers: dict[str, subprocess.Popen] = {}

    # PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
    def as_postgres(self, *command) -> list[str]:
        if os.geteuid() == 0:
            return ["runuser", "-u", "postgres", "--", *command]
        return list(command)

    def init_postgres(self) -> None:
        self.pg_data.mkdir()
        if os.geteuid() == 0:
            shutil.chown(self.pg_data, "postgres")
        initdb = [str(self.pg_bin / "initdb"), "-D", str(self.pg_data), "-U", "designer"]
        self.run(self.as_postgres(*initdb, "--auth=trust", "--no-sync"))
        self.start_postgres()
        createdb = [str(self.pg_bin / "createdb"), "-h", "127.0.0.1", "-p", str(self.pg_port)]
        self.run([*createdb, "-U", "designer", "designer"])

    def start_postgres(self) -> None:
        options = f"-p {self.pg_port} -k {self.pg_data} -c fsync=off"
        pg_ctl = [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-o", options]
        self.run(self.as_postgres(*pg_ctl, "-l", str(self.pg_data / "log"), "-w", "start"))

    def stop_postgres(self) -> None:
        pg_ctl = [str(self.pg_bin / "pg_ctl"), "-D", str(self.pg_data), "-m", "immediate"]
        self.run(self.as_postgres(*pg_ctl, "stop"))

    def start_redis(self) -> None:
        command = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
        command += ["--save", "", "--appendonly", "yes", "--appendfsync", "always"]
        command += ["--dir", str(self.folder)]
        self.redis = self.spawn(command, "redis")
        self.wait(lambda: self.redis_answers(), "Redis did not start")

    def stop_redis(self) -> None:
        self.redis.terminate()  # Redis flushes its append-only file and exits
        self.redis.wait(timeout=30)

    def redis_answers(self) -> bool:
        with (
            contextlib.suppress(OSError),
            socket.create_connection(("127.0.0.1", self.redis_port), timeout=1) as sock,
        ):
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
        return False

    def start_web(self) -> None:
        command = [sys.executable, "-m", "gunicorn", "-c", "python:designer.gunicorn_conf"]
        command += ["--bind", f"127.0.0.1:{self.web_port}", "designer.wsgi:application"]
        self.web = self.spawn(command, "web")

    def start_worker(self, name: str) -> None:
        command = [sys.executable, "-m", "celery", "-A", "designer.celery", "worker"]
        command += ["--pool=prefork", "--concurrency=1", "-n", name, "--loglevel=INFO"]
        command += ["--without-gossip", "--without-mingle"]
        self.workers[name] = self.spawn(command, name)

    def kill_worker(self, name: str) -> None:
        """SIGKILL a worker's main process, its pool process and the SDK check they run."""
        process = self.workers.pop(name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_worker(self, name: str) -> None:
        process = self.workers.pop(name)
        process.terminate()
        try:
            process.wait(timeout=30)
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def spawn(self, command: list[str], log: str) -> subprocess.Popen:
        output = open(self.folder / f"{log}.log", "a")  # noqa: SIM115 (closed with the folder)
        return subprocess.Popen(
            command,
            cwd=ROOT,
            env=self.env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def run(self, command: list[str]) -> str:
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{command[0]} failed: {done.stdout[-2000:]}{done.stderr[-2000:]}")
        return done.stdout

    def manage(self, *arguments) -> str:
        return self.run([sys.executable, "manage.py", *arguments])

    def action(self, *arguments) -> dict:
        output = self.run([sys.executable, "-m", "tests.production.actions", *map(str, arguments)])
        return json.loads(output.strip().splitlines()[-1])

    def health(self) -> tuple[int, dict]:
        try:
            status, body = get(f"{self.base}/healthz")
            return status, json.loads(body)
        except (OSError, ValueError) as exc:
            return 0, {"error": str(exc)}

    def wait_until_healthy(self, timeout: float = 90) -> dict:
        self.wait(lambda: self.health()[0] == 200, "the stack did not become healthy", timeout)
        return self.health()[1]

    def wait(self, condition, message: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            time.sleep(0.2)
        logs = {p.name: p.read_text()[-1500:] for p in self.folder.glob("*.log")}
        raise AssertionError(f"{message} in {timeout:.0f} s; last health {self.health()}; {logs}")

    def builds(self, ids: list[int]) -> dict[int, dict]:
        import psycopg

        query = (
            "SELECT id, status, step, attempts, worker, error, zip_name, package_name,"
            " EXTRACT(EPOCH FROM finished_at)::float FROM builds_build WHERE id = ANY(%s)"
        )
        with psycopg.connect(self.database_url, connect_timeout=3) as connection:
            rows = connection.execute(query, [ids]).fetchall()
        names = ["id", "status", "step", "attempts", "worker", "error", "zip", "package"]
        names.append("finished")  # seconds since the epoch
        return {row[0]: dict(zip(names, row, strict=True)) for row in rows}

    def wait_for_builds(self, ids: list[int], timeout: float = 180) -> dict[int, dict]:
        def done() -> bool:
            return all(b["status"] in ("succeeded", "failed") for b in self.builds(ids).values())

        self.wait(done, f"builds {ids} did not finish", timeout)
        return self.builds(ids)

    def stop(self) -> None:
        for name in list(self.workers):
            self.kill_worker(name)
        for process in (self.web, self.redis):
            if process is not None and process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        with contextlib.suppress(RuntimeError):
            self.stop_postgres()


WORKERS = ("stack-a@localhost", "stack-b@localhost")


@pytest.fixture(scope="session")
def stack():
    pg_bin = postgres_bin()
    missing = [
        name
        for name, found in [("postgresql", pg_bin), ("redis-server", shutil.which("redis-server"))]
        if not found
    ]
    if missing:
        message = f"the production stack needs {' and '.join(missing)}: {INSTALL}"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder = Path(tempfile.mkdtemp(prefix="designer-stack-"))
    folder.chmod(0o755)  # the postgres user reaches its data folder inside
    running = Stack(folder, pg_bin)
    try:
        running.init_postgres()
        running.start_redis()
        running.manage("migrate", "--no-input")
        running.manage("collectstatic", "--no-input")
        running.start_web()
        for name in WORKERS:
            running.start_worker(name)
        running.wait_until_healthy()
        yield running
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)
