"""Keyset pagination: next and previous pages are exact, SQL has no OFFSET, bad cursors recover."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import make_queue, make_ticket
from tickets.listing import InvalidCursor, decode_cursor, paginate
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def tickets(agent):
    queue = make_queue("Support", members=[agent])
    made = [make_ticket(subject=f"Ticket {i:02}", queue=queue) for i in range(7)]
    # Two tickets share one updated_at: the id must break the tie without skipping either.
    Ticket.objects.filter(pk__in=[made[2].pk, made[3].pk]).update(updated_at=made[2].updated_at)
    return made


def _expected(sort_field: str = "-updated_at") -> list[int]:
    return list(Ticket.objects.order_by(sort_field, "-id").values_list("pk", flat=True))


@pytest.mark.parametrize("sort", ["updated", "created", "priority"])
def test_walking_pages_forward_and_back_visits_every_ticket_once_when_paginating(tickets, sort):
    qs = Ticket.objects.all()
    seen, cursor, pages = [], "", []
    while True:
        page = paginate(qs, sort=sort, cursor=cursor, size=3)
        pages.append([t.pk for t in page.rows])
        seen += pages[-1]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(t.pk for t in tickets) and len(seen) == len(set(seen))
    if sort != "priority":
        assert seen == _expected(f"-{sort}_at")
    back = paginate(qs, sort=sort, cursor=page.prev_cursor, size=3)
    assert [t.pk for t in back.rows] == pages[-2]
    assert back.next_cursor and back.prev_cursor


def test_first_page_has_no_previous_link_when_opened(tickets):
    page = paginate(Ticket.objects.all(), sort="updated", size=3)
    assert page.prev_cursor == "" and page.next_cursor


def test_no_query_uses_offset_when_listing_a_later_page(client, agent, tickets):
    client.force_login(agent)
    first = client.get("/desk/?view=all&size=3").context["page"]
    assert first.next_cursor
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/desk/?view=all&size=3&cursor={first.next_cursor}")
    assert response.status_code == 200
    assert not any("OFFSET" in q["sql"].upper() for q in captured.captured_queries)
    assert {t.pk for t in response.context["page"].rows}.isdisjoint(t.pk for t in first.rows)


@pytest.mark.parametrize("cursor", ["garbage", "eyJ4IjogMX0", "e30", "%%%", "W10"])
def test_invalid_cursor_shows_the_first_page_with_a_message_when_given(
    client, agent, tickets, cursor
):
    client.force_login(agent)
    response = client.get(f"/desk/?cursor={cursor}")
    assert response.status_code == 200
    assert [t.pk for t in response.context["page"].rows] == _expected()[:25]
    assert "no longer valid" in response.content.decode()


def test_cursor_from_another_sort_is_refused_when_decoded(tickets):
    page = paginate(Ticket.objects.all(), sort="updated", size=3)
    with pytest.raises(InvalidCursor):
        decode_cursor(page.next_cursor, "created")
