"""A real Celery worker on Redis processes queued tasks and never sees rolled-back work."""

from __future__ import annotations

import os
import uuid

import pytest
from django.db import transaction

from helpdesk.celery import enqueue_on_commit
from helpdesk.models import Event
from helpdesk.tasks import ping
from tests.workers import celery_worker, wait_until

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker():
    with celery_worker() as proc:
        yield proc


def _wait_for(token: str, seconds: float = 30) -> bool:
    return wait_until(
        lambda: Event.objects.filter(kind="system.ping", data__token=token).exists(), seconds
    )


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
