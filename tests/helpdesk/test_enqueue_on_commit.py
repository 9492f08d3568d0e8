"""Work is queued only after the transaction commits, and a broker outage never fails a request."""

import logging
import uuid

import pytest
from django.db import transaction

from helpdesk.celery import enqueue_on_commit, send_task_safely
from helpdesk.models import Event
from helpdesk.tasks import ping


def _pinged(token: str) -> bool:
    return Event.objects.filter(kind="system.ping", data__token=token).exists()


@pytest.mark.django_db(transaction=True)
def test_task_runs_after_commit_when_transaction_commits():
    token = uuid.uuid4().hex
    with transaction.atomic():
        enqueue_on_commit(ping, token)
        assert not _pinged(token)  # nothing runs while the transaction is open
    assert _pinged(token)


@pytest.mark.django_db(transaction=True)
def test_task_is_never_sent_when_transaction_rolls_back():
    token = uuid.uuid4().hex
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue_on_commit(ping, token)
        raise RuntimeError("roll back")
    assert not _pinged(token)


@pytest.mark.django_db
def test_ping_is_idempotent_when_delivered_twice():
    ping("same-token")
    ping("same-token")
    assert Event.objects.filter(kind="system.ping").count() == 1


def test_broker_outage_is_logged_not_raised_when_publishing(caplog):
    class DownTask:
        name = "down"

        def apply_async(self, **kwargs):
            raise ConnectionError("Error 111 connecting to redis")

    with caplog.at_level(logging.ERROR):
        assert send_task_safely(DownTask(), ("x",)) is False
    assert "could not enqueue down" in caplog.text
