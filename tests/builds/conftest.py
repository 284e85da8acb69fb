import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test import override_settings

from designer.celery import app, broker_options

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def broker_in(folder: Path):
    """Tasks sent and pings broadcast meanwhile go through the broker folder ``folder``."""
    previous = app.conf.broker_transport_options
    with override_settings(CELERY_BROKER_DIR=folder):
        app.conf.broker_transport_options = broker_options()
        app._after_fork()  # drop pooled connections made with the previous folders
        try:
            yield folder
        finally:
            app.conf.broker_transport_options = previous
            app._after_fork()


@pytest.fixture(scope="session", autouse=True)
def private_broker(tmp_path_factory):
    """This test run's pings and workers use a broker folder of their own, so a `make run` in
    the same checkout neither answers the pings nor takes the tasks."""
    with broker_in(tmp_path_factory.mktemp("broker")) as folder:
        yield folder


@pytest.fixture
def plugins_out(tmp_path, settings):
    out = tmp_path / "plugins_out"
    out.mkdir()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(out)},
        },
    }
    return out


class Worker:
    """A real Celery worker process on its own queue, sharing the test database and storage."""

    def __init__(self, plugins_out: Path, queue: str, name: str, pool: str = "solo"):
        self.plugins_out, self.queue, self.name, self.pool = plugins_out, queue, name, pool
        self.process: subprocess.Popen | None = None

    def start(self) -> "Worker":
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{connection.settings_dict['NAME']}",
            "PLUGINS_OUT": str(self.plugins_out),
            "CELERY_BROKER_DIR": str(django_settings.CELERY_BROKER_DIR),  # private_broker's
            "CELERY_QUEUE": self.queue,
        }
        command = [sys.executable, "-m", "celery", "-A", "designer.celery", "worker"]
        command += [f"--pool={self.pool}", "--concurrency=1", "--loglevel=INFO"]
        command += ["-Q", self.queue, "-n", self.name]
        command += ["--without-gossip", "--without-mingle", "--without-heartbeat"]
        self.log = open(self.plugins_out.parent / f"worker-{time.monotonic_ns()}.log", "w")  # noqa: SIM115
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.wait_until_ready()
        return self

    def wait_until_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                if app.control.ping(destination=[self.name], timeout=0.5):
                    return
            except ValueError:
                # kombu's filesystem transport can read a message file still being written
                # (an empty reply is not JSON); the next ping reads a whole one.
                continue
            if self.process.poll() is not None:
                break
        raise RuntimeError(f"worker did not start: {Path(self.log.name).read_text()[-3000:]}")

    def kill(self) -> None:
        # The worker first, so that it cannot see its SDK subprocess die; then that subprocess.
        self.process.kill()
        self.process.wait(timeout=10)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)

    def kill_pool_process(self) -> None:
        """SIGKILL the prefork pool process running the task (as the OOM killer would); the
        worker's main process lives on and sees its pool process lost."""
        [pool_process] = children_of(self.process.pid)
        orphans = children_of(pool_process)  # its SDK subprocess
        for pid in [pool_process, *orphans]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def stop(self) -> None:
        # The test is over and its folders are thrown away: no need for a (4 s) clean shutdown.
        if self.process and self.process.poll() is None:
            self.kill()
        self.log.close()


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:  # the parent's pid follows the state
                found.append(int(stat.parent.name))
    return found


@pytest.fixture
def worker_queue():
    queue = f"test-{uuid.uuid4().hex[:8]}"
    previous = app.conf.task_default_queue
    app.conf.task_default_queue = queue
    yield queue
    app.conf.task_default_queue = previous


@pytest.fixture
def start_worker(plugins_out, worker_queue):
    workers = []
    name = f"builder-{worker_queue}@localhost"

    def start(name: str = name, pool: str = "solo") -> Worker:
        """A worker; one started under a name used before is that worker restarted."""
        worker = Worker(plugins_out, worker_queue, name, pool).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()
