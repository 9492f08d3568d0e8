"""A retried create with the same Idempotency-Key returns the first ticket, never a second."""

import threading

import pytest
from django.db import connection

from tests.tickets.factories import make_ticket
from tickets.models import Ticket
from tickets.services import TicketError


@pytest.mark.django_db
def test_same_key_returns_the_same_ticket():
    first = make_ticket(idempotency_key="abc", idempotency_scope="user:1")
    again = make_ticket(idempotency_key="abc", idempotency_scope="user:1")
    assert first.pk == again.pk and Ticket.objects.count() == 1


@pytest.mark.django_db
def test_same_key_with_a_different_request_is_refused():
    make_ticket(idempotency_key="abc", idempotency_scope="user:1")
    with pytest.raises(TicketError, match="different request"):
        make_ticket(idempotency_key="abc", idempotency_scope="user:1", subject="Other")


@pytest.mark.django_db
def test_keys_are_per_client():
    make_ticket(idempotency_key="abc", idempotency_scope="user:1")
    make_ticket(idempotency_key="abc", idempotency_scope="user:2")
    assert Ticket.objects.count() == 2


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_creates_make_exactly_one_ticket():
    results, errors = [], []

    def create():
        try:
            results.append(make_ticket(idempotency_key="same", idempotency_scope="user:9").pk)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=create) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(set(results)) == 1 and Ticket.objects.count() == 1
