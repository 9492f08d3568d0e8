"""Presence: who else is viewing a ticket, and news since the page was loaded."""

from types import SimpleNamespace

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets import presence
from tickets.services import add_message

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(client, agent, make_user):
    omar = make_user(role="agent", name="Omar Other")
    ticket = make_ticket(queue=make_queue("Support", members=[agent, omar]))
    client.force_login(agent)
    return {"client": client, "ticket": ticket, "omar": omar}


def _poll(scene, markers):
    return scene["client"].get(f"/desk/tickets/{scene['ticket'].pk}/presence/", markers)


def test_fragment_names_the_other_viewer_when_another_agent_has_the_ticket_open(scene):
    presence.touch(scene["ticket"].pk, scene["omar"])
    markers = scene["client"].get(f"/desk/tickets/{scene['ticket'].pk}/").context["markers"]
    html = _poll(scene, markers).content.decode()
    assert "Omar is viewing this ticket." in html
    assert "replied" not in html


def test_fragment_says_who_replied_when_a_message_arrived_since_the_page_loaded(scene):
    markers = scene["client"].get(f"/desk/tickets/{scene['ticket'].pk}/").context["markers"]
    add_message(ticket=scene["ticket"], body="Done.", author_user=scene["omar"])
    html = _poll(scene, markers).content.decode()
    assert "Omar replied" in html and "Reload the ticket" in html


def test_viewer_disappears_when_their_heartbeat_is_older_than_the_ttl(scene, monkeypatch):
    presence.touch(scene["ticket"].pk, scene["omar"])
    later = presence.time.time() + presence.PRESENCE_TTL + 1
    monkeypatch.setattr(presence.time, "time", lambda: later)
    assert presence.other_viewers(scene["ticket"].pk, scene["omar"]) == []
    assert presence.other_viewers(scene["ticket"].pk, SimpleNamespace(pk=-1)) == []


def test_my_own_heartbeat_is_not_reported_to_me_when_polling(scene, agent):
    html = _poll(scene, {}).content.decode()
    assert "viewing" not in html
    assert presence.other_viewers(scene["ticket"].pk, scene["omar"]) == ["Aino"]
