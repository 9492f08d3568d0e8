"""A hand-computed day of events: every expected figure is worked out in the comments."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from customers.services import get_or_create_contact
from helpdesk.events import record_event
from tickets.models import Queue, Ticket

DAY = date(2026, 11, 10)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def ev(kind: str, when: datetime, session: str = "", visitor: str = "", contact=None, **data):
    return record_event(
        kind=kind,
        session_id=session,
        visitor_id=visitor,
        contact_id=contact,
        language="en",
        data=data,
        occurred_at=when,
    )


def _ticket(queue, requester, channel, created, first=None, solved=None, **fields) -> Ticket:
    ticket = Ticket.objects.create(
        subject="t", requester=requester, channel=channel, queue=queue, language="en", **fields
    )
    status = "solved" if solved else "open"
    Ticket.objects.filter(pk=ticket.pk).update(
        created_at=created, first_response_at=first, solved_at=solved, status=status
    )
    return ticket


def build(agent) -> dict:
    """Sessions s1-s3 (help center), c1-c5 (chat); tickets T0 (day before), T1-T3."""
    queue = Queue.objects.create(name="Support", slug="support", is_default=True)
    ann = get_or_create_contact(email="ann@example.com", name="Ann")
    bob = get_or_create_contact(email="bob@example.com", name="Bob")
    # s1 (visitor v1): two searches with the same words; the first is clicked. depth 1.
    ev("search.performed", at(9), "s1", "v1", search_id="q1", query="Refund order", results=3)
    ev("search.result_clicked", at(9, 1), "s1", "v1", search_id="q1", group=1, position=1)
    ev("search.performed", at(9, 5), "s1", "v1", search_id="q3", query="ORDER  refund!", results=2)
    ev("search.performed", at(9, 6), "s1", "v1", search_id="q4", query="password reset", results=1)
    ev("search.result_clicked", at(9, 7), "s1", "v1", search_id="q4", group=2, position=1)
    # s2 (v2): a search with no results, then reads article 7. depth 2.
    ev("search.performed", at(10), "s2", "v2", search_id="q2", query="order refund", results=0)
    ev("kb.article_viewed", at(10, 2), "s2", "v2", article=7, group=7)
    # s3 (v3): reads article 8 and opens ticket T1 on the contact form. depth 5.
    ev("kb.article_viewed", at(10, 5), "s3", "v3", article=8, group=8)
    t1 = _ticket(queue, ann, "web", at(10), at(11), at(14), assignee=agent, satisfaction="good")
    ev("ticket.created", at(10), "s3", contact=ann.pk, ticket=t1.pk, channel="web")
    # c1: talks, the bot solves it. c2: talks, escalated -> T2. c3: opens, never types.
    # c4: talks, then abandons. c5: talks, no verdict (contained, unconfirmed).
    for name in ("c1", "c2", "c3", "c4", "c5"):
        ev("chat.session_started", at(12), name, conversation=0)
    for name in ("c1", "c2", "c4", "c5"):
        ev("chat.message", at(12, 1), name, author="customer")
    ev("chat.resolved_by_bot", at(12, 2), "c1", intent="password")
    t2 = _ticket(
        queue, bob, "widget", at(10, 30), at(12, 30), at(20, 30), assignee=agent, satisfaction="bad"
    )
    ev("chat.escalated", at(12, 3), "c2", conversation=0, ticket=t2.pk)
    ev("ticket.created", at(10, 30), "c2", contact=bob.pk, ticket=t2.pk, channel="widget")
    ev("chat.abandoned", at(12, 40), "c4")
    # T3 by email, no session; T0 the day before, still open.
    t3 = _ticket(queue, ann, "email", at(11), at(11, 30))
    ev("ticket.created", at(11), contact=ann.pk, ticket=t3.pk, channel="email")
    t0 = _ticket(queue, ann, "email", at(9, day=DAY - timedelta(days=1)))
    ev("ticket.created", at(9, day=DAY - timedelta(days=1)), contact=ann.pk, ticket=t0.pk)
    for ticket, first in ((t1, at(11)), (t2, at(12, 30)), (t3, at(11, 30))):
        ev("ticket.first_response", first, ticket=ticket.pk)
    ev("ticket.solved", at(14), ticket=t1.pk, by="agent")
    ev("ticket.solved", at(20, 30), ticket=t2.pk, by="agent")
    ev("ticket.rated", at(15), ticket=t1.pk, rating="good")
    ev("ticket.rated", at(21), ticket=t2.pk, rating="bad")
    ev("sla.breached", at(12), ticket=t2.pk, target="first_response")
    # Votes: article 7 1 up 3 down (0.75), article 8 2 up 1 down, article 9 1 down (too few).
    for value, n, article in (
        ("up", 1, 7),
        ("down", 3, 7),
        ("up", 2, 8),
        ("down", 1, 8),
        ("down", 1, 9),
    ):
        for i in range(n):
            ev("kb.article_voted", at(16), visitor=f"voter{i}", article=article, value=value)
    # A guide sends its reader to the contact form from step "check-cable".
    ev("guide.completed", at(17), "s9", "v9", guide="router", outcome="contact", step="check-cable")
    return {"queue": queue, "tickets": (t0, t1, t2, t3)}
