"""A real Celery worker on Redis processes queued tasks and never sees rolled-back work."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection, transaction

from helpdesk.celery import enqueue_on_commit
from helpdesk.models import Event
from helpdesk.tasks import ping

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    """Start `celery worker` against the test database and Redis; stop it afterwards."""
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}",
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "helpdesk", "worker", "-Q", "default,search",
         "-c", "1", "--pool", "solo", "--without-heartbeat", "--without-gossip",
         "--without-mingle", "-l", "INFO", "-n", f"test-{uuid.uuid4().hex[:6]}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    yield proc
    proc.terminate()
    output = proc.communicate(timeout=30)[0]
    print("--- worker log ---\n" + output[-4000:])


def _wait_for(token: str, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if Event.objects.filter(kind="system.ping", data__token=token).exists():
            return True
        time.sleep(0.2)
    return False


def test_worker_processes_committed_task_and_never_the_rolled_back_one(worker):
    committed, rolled_back, sentinel = (uuid.uuid4().hex for _ in range(3))
    with transaction.atomic():
        enqueue_on_commit(ping, committed)
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(ping, rolled_back)
        raise RuntimeError("roll back")
    with transaction.atomic():
        enqueue_on_commit(ping, sentinel)

    assert _wait_for(committed), "the worker did not process the committed task"
    # One worker, one process, FIFO: once the later sentinel is done, anything sent before it
    # has been processed too; the rolled-back task must never have been sent at all.
    assert _wait_for(sentinel)
    assert not Event.objects.filter(data__token=rolled_back).exists()
    print(f"real worker processed ping {committed} via {os.environ['REDIS_URL']}")


def test_worker_consumes_the_search_queue(worker):
    token = uuid.uuid4().hex
    ping.apply_async(args=(token,), queue="search")
    assert _wait_for(token), "nothing consumed the search queue"
