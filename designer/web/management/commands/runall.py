"""`make run`: the web app and one Celery worker in one command, supervised; Ctrl-C stops both.

A process that dies is started again (after 1 s, doubling up to 30 s while it keeps dying
quickly); the web app stays up meanwhile. A dead worker's heartbeat is removed at once, so
/healthz reports the worker down until its successor has started. For one machine and
development only: production runs gunicorn and workers under a real supervisor (see README).
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

from designer.builds.heartbeat import forget

FIRST_DELAY, LONGEST_DELAY = 1.0, 30.0
STABLE_AFTER = 60.0  # a process that ran this long is restarted after the first delay again


class Supervised:
    """One child process and when to start it again."""

    def __init__(self, name: str, command: list[str]):
        self.name, self.command = name, command
        self.process: subprocess.Popen | None = None
        self.delay, self.started_at, self.restart_at = FIRST_DELAY, 0.0, 0.0

    def start(self) -> None:
        # Its own process group: a worker killed outright leaves pool processes, stopped with it.
        self.process = subprocess.Popen(self.command, process_group=0)
        self.started_at = time.monotonic()

    def died(self) -> int | None:
        """The exit status of a process that has just died (None while it runs or waits)."""
        if self.process is None or self.process.poll() is None:
            return None
        status = self.process.returncode
        kill_group(self.process)  # pool processes a killed worker left behind
        self.process = None
        if time.monotonic() - self.started_at > STABLE_AFTER:
            self.delay = FIRST_DELAY
        self.restart_at = time.monotonic() + self.delay
        self.delay = min(self.delay * 2, LONGEST_DELAY)
        return status

    def due(self) -> bool:
        return self.process is None and time.monotonic() >= self.restart_at


class Command(BaseCommand):
    help = "Run the web app and a Celery worker (with the broker settings in use), supervised."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        worker_name = f"celery@{socket.gethostname()}"
        children = [
            Supervised(
                "web", [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"]
            ),
            Supervised("worker", worker_command(worker_name)),
        ]
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        self.stdout.write(f"Plugin designer on http://{host}:{port}/ (Ctrl-C stops everything)")
        try:
            while True:
                for child in children:
                    self.supervise(child, worker_name)
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop([child.process for child in children if child.process is not None])

    def supervise(self, child: Supervised, worker_name: str) -> None:
        status = child.died()
        if status is not None:
            self.stderr.write(f"{child.name} stopped (exit status {status}); restarting it")
            if child.name == "worker":
                with contextlib.suppress(Exception):  # the database may be what failed
                    forget(worker_name)
        if child.due():
            child.start()


def worker_command(name: str) -> list[str]:
    command = [sys.executable, "-m", "celery", "-A", "designer.celery", "worker", "-n", name]
    return command + ["--loglevel=INFO", "--concurrency=2", "--without-gossip", "--without-mingle"]


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def stop(processes):
    """SIGTERM each (a worker finishes its build for up to 10 s), then kill what is left."""
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        kill_group(process)
        process.wait()
