"""The list page costs the same number of queries for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.tickets.factories import make_queue, make_ticket
from tickets.services import assign_ticket

pytestmark = pytest.mark.django_db


def _queries(client, count: int, queue, agent) -> int:
    for i in range(count):
        ticket = make_ticket(subject=f"S{i}", queue=queue, email=f"c{i}@example.com")
        assign_ticket(ticket=ticket, assignee=agent, actor=agent)
    client.get("/desk/?view=all&size=50")  # the process's first page loads the cached configs
    with CaptureQueriesContext(connection) as captured:
        assert client.get("/desk/?view=all&size=50").status_code == 200
    return len(captured)


def test_query_count_is_constant_when_the_page_grows_from_5_to_50_rows(client, agent):
    queue = make_queue("Support", members=[agent])
    client.force_login(agent)
    small = _queries(client, 5, queue, agent)
    large = _queries(client, 45, queue, agent)
    assert small == large
    assert len(client.get("/desk/?size=50").context["page"].rows) == 50


def test_list_page_stays_within_its_query_budget_when_rendered(
    client, agent, django_assert_max_num_queries
):
    queue = make_queue("Support", members=[agent])
    for i in range(10):
        make_ticket(subject=f"S{i}", queue=queue)
    client.force_login(agent)
    client.get("/desk/")  # the process's first page loads the cached configs
    # session, user, page, availability: the options of the filters and bulk actions and the
    # sidebar's queues are cached; the sidebar's counts come in their own request
    with django_assert_max_num_queries(4):
        client.get("/desk/")
    with django_assert_max_num_queries(8):  # session, user, queues, one capped count per view
        client.get("/desk/views/")
