"""The desk list: sidebar views with capped counts, filters and sorting."""

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets.listing import capped_count, format_count
from tickets.models import Priority, Status, Ticket
from tickets.services import assign_ticket, update_ticket

pytestmark = pytest.mark.django_db


def _subjects(response) -> list[str]:
    return [t.subject for t in response.context["page"].rows]


@pytest.fixture
def desk(client, agent, make_user):
    billing = make_queue("Billing", members=[agent])
    make_queue("Secret")  # the agent is not a member
    other = make_user(role="agent", name="Omar Other")
    mine = make_ticket(subject="Refund please", queue=billing)
    assign_ticket(ticket=mine, assignee=agent, actor=agent)
    theirs = make_ticket(subject="Invoice copy", queue=billing, email="lea@example.com")
    assign_ticket(ticket=theirs, assignee=other, actor=other)
    make_ticket(subject="Login broken", queue=billing, channel="email", tags=["vip"])
    client.force_login(agent)
    return {"client": client, "queue": billing, "mine": mine, "other": other}


def test_sidebar_shows_each_view_with_its_count_when_agent_opens_the_desk(desk):
    page = desk["client"].get("/desk/")
    assert "Billing" in page.content.decode() and "Secret" not in page.content.decode()
    # The list page asks for the counts after it has loaded (htmx), keeping the view current.
    assert 'hx-get="/desk/views/?view=all"' in page.content.decode()
    response = desk["client"].get("/desk/views/?view=all")
    counts = {v.key: v.count for v in response.context["views"]}
    assert counts == {"mine": "1", "unassigned": "1", f"queue-{desk['queue'].pk}": "3", "all": "3"}
    html = response.content.decode()
    assert "Billing" in html and "Secret" not in html and "hx-get" not in html
    assert '<a href="?view=all" aria-current="page">' in html


def test_the_counts_fragment_is_for_agents_only(client, customer):
    client.force_login(customer)
    assert client.get("/desk/views/").status_code in (302, 403, 404)


def test_my_open_view_lists_only_my_open_tickets_when_selected(desk, agent):
    assert _subjects(desk["client"].get("/desk/?view=mine")) == ["Refund please"]
    update_ticket(ticket=desk["mine"], actor=agent, expected_version=None, status=Status.SOLVED)
    assert _subjects(desk["client"].get("/desk/?view=mine")) == []


def test_unassigned_view_lists_tickets_without_assignee_when_selected(desk):
    assert _subjects(desk["client"].get("/desk/?view=unassigned")) == ["Login broken"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("assignee=me", ["Refund please"]),
        ("assignee=nobody", ["Login broken"]),
        ("tag=vip", ["Login broken"]),
        ("channel=email", ["Login broken"]),
        ("q=invoice", ["Invoice copy"]),
        ("status=open", ["Invoice copy", "Refund please"]),
        ("priority=urgent", []),
    ],
)
def test_filter_narrows_the_list_when_given(desk, query, expected):
    assert sorted(_subjects(desk["client"].get(f"/desk/?{query}"))) == expected


def test_reference_search_finds_the_ticket_when_typed_as_hd_number(desk):
    reference = desk["mine"].reference
    assert _subjects(desk["client"].get(f"/desk/?q={reference.lower()}")) == ["Refund please"]


def test_assignee_filter_by_agent_id_lists_their_tickets_when_chosen(desk):
    assert _subjects(desk["client"].get(f"/desk/?assignee={desk['other'].pk}")) == ["Invoice copy"]


def test_invalid_filter_values_are_ignored_when_given(desk):
    response = desk["client"].get("/desk/?status=bogus&priority=x&queue=abc&sort=evil")
    assert response.status_code == 200 and len(_subjects(response)) == 3


def test_priority_sort_puts_urgent_first_when_chosen(desk):
    ticket = Ticket.objects.get(subject="Login broken")
    update_ticket(
        ticket=ticket, actor=desk["other"], expected_version=None, priority=Priority.URGENT
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at="2001-01-01T00:00:00Z")
    assert _subjects(desk["client"].get("/desk/?sort=priority"))[0] == "Login broken"
    assert _subjects(desk["client"].get("/desk/?sort=updated"))[-1] == "Login broken"


def test_list_shows_every_column_when_rendered(desk):
    html = desk["client"].get("/desk/").content.decode()
    for text in ("Reference", "Requester", "Assignee", "Refund please", "Billing", "Casey"):
        assert text in html
    assert '<th scope="col">' in html


def test_count_is_capped_when_there_are_more_tickets_than_the_cap(agent):
    for i in range(4):
        make_ticket(subject=f"T{i}")
    assert capped_count(Ticket.objects.all(), cap=3) == 3
    assert format_count(3, cap=3) == "2+"
    assert format_count(2, cap=3) == "2"
