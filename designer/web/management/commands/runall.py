"""`make run`: the web app and one Celery worker in one command; Ctrl-C stops both."""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web app and a Celery worker (with the broker settings in use) together."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")

    def handle(self, *args, host, port, **options):
        commands = [
            [sys.executable, "manage.py", "runserver", f"{host}:{port}", "--noreload"],
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "designer.celery",
                "worker",
                "--loglevel=INFO",
                "--concurrency=2",
                "--without-gossip",
                "--without-mingle",
            ],
        ]
        signal.signal(signal.SIGTERM, stop_on_sigterm)
        processes = [subprocess.Popen(command) for command in commands]
        self.stdout.write(f"Plugin designer on http://{host}:{port}/ (Ctrl-C stops everything)")
        try:
            while all(process.poll() is None for process in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop(processes)


def stop_on_sigterm(signum, frame):
    raise KeyboardInterrupt


def stop(processes):
    for process in processes:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + 10
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            process.kill()
