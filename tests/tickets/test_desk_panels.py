"""Higher apps add side panels to the desk's ticket page through tickets.panels."""

import pytest

from tests.tickets.factories import make_queue, make_ticket
from tickets import panels

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(client, agent):
    queue = make_queue("Support", members=[agent])
    client.force_login(agent)
    return make_ticket(queue=queue, subject="Broken kettle")


@pytest.fixture
def registered():
    seen = []

    def context(request, ticket):
        seen.append(ticket.pk)
        if ticket.subject.startswith("Hide"):
            return None
        return {"heading": f"Panel for {ticket.subject}"}

    panels.register_panel("test-panel", "tests/_panel.html", context, order=1)
    yield seen
    panels.unregister_panel("test-panel")


def test_registered_panel_renders_in_the_side_column_with_its_context(client, ticket, registered):
    html = client.get(f"/desk/tickets/{ticket.pk}/").content.decode()
    side = html[html.index('class="ticket-side"') :]
    assert "Panel for Broken kettle" in side and registered == [ticket.pk]


def test_panel_returning_none_is_hidden(client, agent, registered):
    hidden = make_ticket(queue=make_queue("Other", members=[agent]), subject="Hide me")
    html = client.get(f"/desk/tickets/{hidden.pk}/").content.decode()
    assert "Panel for" not in html
