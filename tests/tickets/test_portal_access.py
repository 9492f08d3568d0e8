"""Who may open a request in the customer portal: its requester, or a browser with its link."""

import pytest
from django.core import signing

from tests.tickets.factories import make_ticket
from tickets.tokens import make_ticket_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer_b(make_user):
    return make_user(role="customer", name="Bea Other")


@pytest.fixture
def ticket_a(customer):
    return make_ticket(email=customer.email, user=customer, subject="A's parcel")


@pytest.fixture
def ticket_b(customer_b):
    return make_ticket(email=customer_b.email, user=customer_b, subject="B's invoice")


def link(ticket) -> str:
    token = make_ticket_token(ticket_id=ticket.pk, contact_id=ticket.requester_id)
    return f"/en/portal/t/{token}/"


def pages(ticket) -> list[tuple[str, str]]:
    base = f"/en/portal/tickets/{ticket.pk}/"
    return [("get", base), ("post", base), ("post", base + "solve"), ("post", base + "rate")]


def test_requester_sees_their_ticket_when_signed_in(client, customer, ticket_a):
    client.force_login(customer)
    response = client.get(f"/en/portal/tickets/{ticket_a.pk}/")
    assert response.status_code == 200 and "A&#x27;s parcel" in response.content.decode()


@pytest.mark.parametrize("who", ["other_customer", "anonymous", "agent_not_requester"])
def test_404_when_someone_else_opens_a_customers_ticket(client, who, ticket_a, customer_b, agent):
    if who == "other_customer":
        client.force_login(customer_b)
    elif who == "agent_not_requester":
        client.force_login(agent)
    for method, url in pages(ticket_a):
        response = getattr(client, method)(url, {"message": "hi", "rating": "good"})
        assert response.status_code == 404, (who, url)


def test_404_when_the_link_was_for_another_ticket(client, ticket_a, ticket_b):
    client.get(link(ticket_b))
    assert client.get(f"/en/portal/tickets/{ticket_b.pk}/").status_code == 200
    for method, url in pages(ticket_a):
        assert getattr(client, method)(url, {"message": "hi"}).status_code == 404


def test_valid_link_opens_the_ticket_without_the_token_in_the_address(client, ticket_a):
    response = client.get(link(ticket_a))
    assert response.status_code == 302
    assert response["Location"] == f"/en/portal/tickets/{ticket_a.pk}/"
    assert response["Referrer-Policy"] == "no-referrer" and "no-store" in response["Cache-Control"]
    assert response.content == b""
    page = client.get(response["Location"])
    assert page.status_code == 200 and "A&#x27;s parcel" in page.content.decode()
    # Not "no-referrer" here: that makes browsers send `Origin: null`, failing CSRF on POST.
    assert page["Referrer-Policy"] == "same-origin" and "no-store" in page["Cache-Control"]


def test_link_page_offers_a_fresh_link_when_the_token_has_expired(client, ticket_a, monkeypatch):
    month_ago = signing.time.time() - 31 * 24 * 3600
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: month_ago)
        expired = link(ticket_a)
    response = client.get(expired, follow=True)
    html = response.content.decode()
    assert response.redirect_chain == [("/en/portal/link/?expired=1", 302)]
    assert "This link no longer works" in html and 'action="/en/portal/link/"' in html
    assert client.get(f"/en/portal/tickets/{ticket_a.pk}/").status_code == 404


@pytest.mark.parametrize("token", ["garbage", "eyJ0IjoxLCJjIjoxfQ:abc:def"])
def test_link_page_explains_when_the_token_is_forged(client, ticket_a, token):
    response = client.get(f"/en/portal/t/{token}/", follow=True)
    assert "This link no longer works" in response.content.decode()
    assert client.get(f"/en/portal/tickets/{ticket_a.pk}/").status_code == 404


def test_link_is_refused_when_the_ticket_changed_requester(client, ticket_a, ticket_b):
    token = make_ticket_token(ticket_id=ticket_a.pk, contact_id=ticket_b.requester_id)
    assert client.get(f"/en/portal/t/{token}/")["Location"] == "/en/portal/link/?expired=1"
    assert client.get(f"/en/portal/tickets/{ticket_a.pk}/").status_code == 404


def test_portal_home_lists_only_my_tickets_when_signed_in(client, customer, ticket_a, ticket_b):
    client.force_login(customer)
    html = client.get("/en/portal/").content.decode()
    assert "A&#x27;s parcel" in html and "B&#x27;s invoice" not in html


def test_portal_home_sends_anonymous_visitors_to_sign_in(client):
    response = client.get("/en/portal/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_portal_home_lists_the_ticket_opened_by_link_when_not_signed_in(client, ticket_a):
    client.get(link(ticket_a))
    html = client.get("/en/portal/").content.decode()
    assert "A&#x27;s parcel" in html


def test_portal_home_needs_few_queries_when_a_customer_has_many_tickets(
    client, customer, django_assert_max_num_queries
):
    for n in range(5):
        make_ticket(email=customer.email, user=customer, subject=f"Ticket {n}")
    client.force_login(customer)
    with django_assert_max_num_queries(8):
        assert client.get("/en/portal/").status_code == 200
