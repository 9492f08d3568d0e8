"""helpdesk.compiled: a queryset compiled once gives the ORM's own rows for any later values."""

import pytest
from django.db.models import Count

from helpdesk import compiled
from tests.tickets.factories import make_queue, make_ticket
from tickets.models import Attachment, Message, Ticket, TicketChange
from tickets.services import add_message, update_ticket

pytestmark = pytest.mark.django_db


def _fields(obj, names=None) -> dict:
    names = names or [f.attname for f in type(obj)._meta.concrete_fields]
    return {name: getattr(obj, name) for name in names}


def _messages(pk):
    return Message.objects.filter(ticket_id=pk)


def _changes(pk):
    return TicketChange.objects.filter(ticket_id=pk)


def test_rows_match_the_orm_for_each_value_and_the_sql_is_compiled_once(agent, monkeypatch):
    queue = make_queue("Support", members=[agent])
    first = make_ticket(queue=queue)
    second = make_ticket(queue=queue, email="b@example.com")
    add_message(ticket=second, body="**Bold** reply", author_user=agent, is_internal=True)
    second.refresh_from_db()
    update_ticket(ticket=second, actor=agent, expected_version=second.version, tags=["a", "b"])
    compiles = []
    real = compiled._compile
    monkeypatch.setattr(compiled, "_compile", lambda *a: compiles.append(a) or real(*a))

    for ticket in (first, second, first):
        for build in (_messages, _changes):
            got = compiled.fetch(("test", build.__name__), build, ticket.pk)
            want = list(build(ticket.pk))
            assert [_fields(o) for o in got] == [_fields(o) for o in want]  # JSON, dates
            assert all(not o._state.adding for o in got)

    assert len(compiles) == 2  # one per shape, not per run
    assert compiled.fetch(("test", "_changes"), _changes, 10**9) == []


def test_deferred_columns_and_limits(agent):
    ticket = make_ticket()
    message = ticket.messages.get()
    Attachment.objects.create(ticket=ticket, message=message, filename="a.txt", size=3)

    def files(pk):
        return Attachment.objects.filter(ticket_id=pk).only("message_id", "filename")

    (got,) = compiled.fetch(("test", "files"), files, ticket.pk)
    assert (got.filename, got.message_id) == ("a.txt", message.pk)
    assert got.get_deferred_fields() >= {"size"}
    assert got.size == 3  # a deferred column still loads on access, as with the ORM

    def newest(pk):
        return Ticket.objects.exclude(pk=pk).order_by("-pk")[:1]

    other = make_ticket(email="c@example.com")
    assert [t.pk for t in compiled.fetch(("test", "newest"), newest, ticket.pk)] == [other.pk]
    assert [t.pk for t in compiled.fetch(("test", "newest"), newest, other.pk)] == [ticket.pk]


@pytest.mark.parametrize(
    "build",
    [
        lambda pk: Ticket.objects.filter(pk=pk).select_related("queue"),
        lambda pk: Ticket.objects.filter(pk=pk).values("subject"),
        lambda pk: Ticket.objects.filter(pk=pk).annotate(n=Count("messages")),
        lambda pk: Ticket.objects.filter(pk=pk).prefetch_related("tags"),
        lambda pk: Ticket.objects.all(),  # the argument is not in the SQL
    ],
)
def test_what_it_cannot_run_faithfully_is_refused(build):
    with pytest.raises(ValueError):
        compiled.fetch(("test", "refused", id(build)), build, 1)


def test_an_empty_queryset_runs_no_query(django_assert_num_queries):
    compiled.fetch(("test", "none"), lambda pk: Ticket.objects.filter(pk=pk).none(), 1)
    with django_assert_num_queries(0):
        assert compiled.fetch(("test", "none"), lambda pk: Ticket.objects.none(), 2) == []
