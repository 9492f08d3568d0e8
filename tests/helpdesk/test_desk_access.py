"""The agent desk is for agents: visitors sign in, customers get a 404."""

import pytest


@pytest.mark.django_db
def test_visitor_is_sent_to_sign_in_when_opening_the_desk(client):
    response = client.get("/desk/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/desk/")


@pytest.mark.django_db
def test_customer_gets_404_when_opening_the_desk(client, customer):
    client.force_login(customer)
    assert client.get("/desk/").status_code == 404


@pytest.mark.django_db
def test_agent_sees_the_desk(client, agent):
    client.force_login(agent)
    response = client.get("/desk/")
    assert response.status_code == 200
    assert "Agent desk" in response.content.decode()


@pytest.mark.django_db
def test_admin_login_page_renders(client):
    assert client.get("/admin/login/").status_code == 200


@pytest.mark.django_db
def test_openapi_schema_is_served(client):
    response = client.get("/api/v1/schema/")
    assert response.status_code == 200
    assert b"openapi" in response.content
