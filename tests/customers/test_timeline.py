"""One timeline per contact: every channel's events, the session before identification,
keyset pages with a constant number of queries, and the ticket page's side panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from customers.services import get_or_create_contact
from customers.timeline import timeline
from helpdesk.events import record_events
from helpdesk.models import Event
from tests.tickets.factories import make_ticket

pytestmark = pytest.mark.django_db


def _events(contact_id: int, count: int, *, session: str = "") -> None:
    start = timezone.now() - timedelta(days=30)
    kinds = [
        "kb.article_viewed",
        "chat.session_started",
        "ticket.rated",
        "guide.completed",
        "email.received",
        "chat.message",
    ]
    record_events(
        [
            Event(
                kind=kinds[i % len(kinds)],
                contact_id=contact_id,
                session_id=session,
                occurred_at=start + timedelta(minutes=i),
                data={"n": i},
            )
            for i in range(count)
        ]
    )


def test_the_timeline_pages_through_every_event_once_newest_first():
    contact = get_or_create_contact(email="casey@example.com")
    _events(contact.pk, 95)
    seen, cursor, pages = [], "", 0
    while True:
        items, cursor = timeline(contact.pk, cursor=cursor, limit=20)
        seen += items
        pages += 1
        if not cursor:
            break
    visible = Event.objects.filter(contact_id=contact.pk).exclude(kind="chat.message")
    assert [i.id for i in seen] == list(
        visible.order_by("-occurred_at", "-id").values_list("pk", flat=True)
    )
    assert pages == 4
    assert {i.channel for i in seen} == {"kb", "chat", "ticket", "guide", "email"}


def test_events_with_the_same_time_are_not_skipped_between_pages():
    contact = get_or_create_contact(email="casey@example.com")
    moment = timezone.now()
    record_events(
        [
            Event(kind="kb.article_viewed", contact_id=contact.pk, occurred_at=moment)
            for _ in range(7)
        ]
    )
    first, cursor = timeline(contact.pk, limit=4)
    second, end = timeline(contact.pk, cursor=cursor, limit=4)
    assert len({i.id for i in first + second}) == 7 and end == ""


def test_what_they_did_before_being_identified_in_that_session_is_included():
    contact = get_or_create_contact(email="casey@example.com")
    other = get_or_create_contact(email="other@example.com")
    record_events(
        [
            Event(kind="kb.article_viewed", session_id="s-1", data={"article": 1}),  # anonymous
            Event(
                kind="ticket.created", session_id="s-1", contact_id=contact.pk, data={"ticket": 1}
            ),
            Event(kind="kb.article_viewed", session_id="s-2", contact_id=other.pk),
            # Someone else signed in within the same session: never shown to this contact.
            Event(kind="kb.article_voted", session_id="s-1", contact_id=other.pk),
        ]
    )
    kinds = [i.kind for i in timeline(contact.pk)[0]]
    assert sorted(kinds) == ["kb.article_viewed", "ticket.created"]


def test_ticket_items_carry_the_subject_and_a_desk_link():
    ticket = make_ticket(email="casey@example.com", subject="Parcel lost")
    [item] = [i for i in timeline(ticket.requester_id)[0] if i.kind == "ticket.created"]
    assert item.title == f"{ticket.reference} Parcel lost"
    assert item.url == f"/desk/{ticket.pk}/" or item.url.endswith(f"/{ticket.pk}/")


def test_a_bad_cursor_starts_from_the_newest():
    contact = get_or_create_contact(email="casey@example.com")
    _events(contact.pk, 3)
    assert len(timeline(contact.pk, cursor="%%%garbage")[0]) == 3


def test_a_timeline_page_costs_the_same_queries_for_ten_or_thousands_of_events(
    django_assert_max_num_queries,
):
    small = get_or_create_contact(email="small@example.com")
    big = get_or_create_contact(email="big@example.com")
    _events(small.pk, 10, session="s-small")
    _events(big.pk, 3000, session="s-big")
    for contact in (small, big):
        with django_assert_max_num_queries(4):
            items, _cursor = timeline(contact.pk, limit=30)
    assert len(items) == 30
