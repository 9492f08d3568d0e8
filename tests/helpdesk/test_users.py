"""Users sign in with their email address and carry a role."""

import pytest
from django.contrib.auth import authenticate
from django.db import IntegrityError

from helpdesk.models import User
from helpdesk.services import upsert_user
from tests.helpdesk.factories import TEST_PASSWORD


@pytest.mark.django_db
def test_email_is_lowercased_when_user_is_created():
    user = User.objects.create_user("Mixed.Case@Example.COM", "x-secret-123")
    assert user.email == "mixed.case@example.com"


@pytest.mark.django_db
def test_user_signs_in_with_email_when_password_matches(customer):
    assert authenticate(username=customer.email, password=TEST_PASSWORD) == customer
    assert authenticate(username=customer.email, password="wrong") is None


@pytest.mark.django_db
def test_second_account_is_refused_when_email_differs_only_in_case():
    User.objects.create(email="same@example.com")
    with pytest.raises(IntegrityError):
        User.objects.create(email="SAME@example.com")


@pytest.mark.django_db
def test_roles_decide_who_is_an_agent(agent, customer, admin_user):
    assert agent.is_agent and not agent.is_helpdesk_admin
    assert not customer.is_agent and customer.is_customer
    assert admin_user.is_agent and admin_user.is_helpdesk_admin


@pytest.mark.django_db
def test_deactivated_agent_is_no_longer_an_agent(agent):
    agent.is_active = False
    assert not agent.is_agent


@pytest.mark.django_db
def test_upsert_user_updates_instead_of_duplicating_when_run_twice():
    upsert_user(email="a@example.com", name="A", role="agent", password="pw-12345-abc")
    user = upsert_user(email="A@example.com", name="A2", role="admin")
    assert User.objects.count() == 1
    assert user.name == "A2" and user.is_staff and user.is_superuser
