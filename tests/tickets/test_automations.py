"""Automations: triggers with conditions, scheduled rules, loop prevention, dry runs, macros."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from tests.tickets.factories import make_queue, make_ticket
from tickets.automation import Action, AutomationSpecError, parse_actions, parse_conditions
from tickets.models import (
    Automation,
    AutomationRun,
    CannedResponse,
    Macro,
    MessageKind,
    Ticket,
)
from tickets.services import add_message, update_ticket
from tickets.services.automations import apply_actions, preview, run_scheduled

pytestmark = pytest.mark.django_db


def rule(trigger: str, conditions, actions, **fields) -> Automation:
    automation = Automation(
        name=f"{trigger} rule", trigger=trigger, conditions=conditions, actions=actions, **fields
    )
    automation.full_clean()
    automation.save()
    return automation


def test_a_created_trigger_sets_fields_when_its_conditions_hold():
    make_queue("Billing")
    rule(
        "created",
        [{"field": "subject", "op": "contains", "value": "invoice"}],
        [
            {"action": "set_queue", "value": "billing"},
            {"action": "set_priority", "value": "high"},
            {"action": "add_tags", "value": ["Billing"]},
        ],
    )
    queue = make_queue("Support")
    matched = make_ticket(queue=queue, subject="Wrong INVOICE total")
    other = make_ticket(queue=queue, subject="Parcel late", email="b@example.com")
    matched.refresh_from_db()
    assert matched.queue.slug == "billing" and matched.priority == "high"
    assert list(matched.tags.values_list("name", flat=True)) == ["billing"]
    assert Ticket.objects.get(pk=other.pk).priority == "normal"


def test_a_customer_replied_trigger_adds_a_note(agent):
    rule(
        "customer_replied",
        [{"field": "body", "op": "contains", "value": "cancel"}],
        [{"action": "add_note", "value": "Retention: offer a discount."}],
    )
    ticket = make_ticket(queue=make_queue("Support"))
    add_message(ticket=ticket, body="I want to cancel", author_contact=ticket.requester)
    note = ticket.messages.get(kind=MessageKind.INTERNAL)
    assert note.body == "Retention: offer a discount." and note.author_user is None


def test_an_automated_canned_reply_reaches_the_customer_but_is_no_first_response():
    canned = CannedResponse.objects.create(title="Ack", body="Hi {{ customer.name }}, got it.")
    rule("created", [], [{"action": "send_reply", "value": canned.pk}])
    ticket = make_ticket(queue=make_queue("Support"), name="Casey")
    reply = ticket.messages.filter(kind=MessageKind.PUBLIC).last()
    assert reply.body == "Hi Casey, got it." and reply.author_contact is None
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_automations_do_not_trigger_each_other_in_a_loop(agent):
    rule(
        "updated",
        [{"field": "priority", "op": "is", "value": "high"}],
        [{"action": "set_priority", "value": "urgent"}],
        position=1,
    )
    rule(
        "updated",
        [{"field": "priority", "op": "is", "value": "urgent"}],
        [{"action": "set_priority", "value": "high"}],
        position=2,
    )
    ticket = make_ticket(queue=make_queue("Support"))
    update_ticket(ticket=ticket, actor=agent, expected_version=None, priority="high")
    ticket.refresh_from_db()
    # Each rule fired once, in order, on the agent's change; their own changes fired nothing
    # (without that, these two would flip the priority forever).
    assert ticket.priority == "high"
    seen = AutomationRun.objects.order_by("version", "automation__position")
    assert [(r.automation.position, r.version) for r in seen] == [(1, 2), (1, 3), (2, 3), (2, 4)]
    assert ticket.version == 4


def test_scheduled_auto_close_closes_solved_tickets_after_n_days_once(clock, agent):
    auto_close = rule(
        "scheduled",
        [
            {"field": "status", "op": "is", "value": "solved"},
            {"field": "hours_since_updated", "op": "gte", "value": 96},
        ],
        [
            {"action": "add_note", "value": "Closed automatically."},
            {"action": "set_status", "value": "closed"},
        ],
    )
    queue = make_queue("Support")
    old = make_ticket(queue=queue)
    fresh = make_ticket(queue=queue, email="b@example.com")
    update_ticket(ticket=old, actor=agent, expected_version=None, status="solved")
    clock.advance(days=3)
    update_ticket(ticket=fresh, actor=agent, expected_version=None, status="solved")
    clock.advance(days=1, minutes=1)
    assert run_scheduled() == {auto_close.pk: 1}
    assert Ticket.objects.get(pk=old.pk).status == "closed"
    assert Ticket.objects.get(pk=fresh.pk).status == "solved"
    assert run_scheduled() == {auto_close.pk: 0}


def test_a_scheduled_reminder_acts_once_per_ticket_version(clock, agent):
    remind = rule(
        "scheduled",
        [
            {"field": "status", "op": "is", "value": "pending"},
            {"field": "hours_since_updated", "op": "gte", "value": 0},
        ],
        [{"action": "add_tags", "value": ["reminded"]}],
    )
    ticket = make_ticket(queue=make_queue("Support"))
    add_message(ticket=ticket, body="Which order?", author_user=agent)  # → pending
    clock.advance(hours=1)
    assert run_scheduled() == {remind.pk: 1}
    clock.advance(hours=1)
    assert run_scheduled() == {remind.pk: 0}  # adding a tag again would change nothing


def test_the_dry_run_lists_matches_and_changes_nothing(clock, agent):
    automation = Automation(
        name="Auto-close",
        trigger="scheduled",
        conditions=[
            {"field": "status", "op": "is", "value": "solved"},
            {"field": "hours_since_updated", "op": "gte", "value": 24},
        ],
        actions=[{"action": "set_status", "value": "closed"}],
    )
    ticket = make_ticket(queue=make_queue("Support"))
    update_ticket(ticket=ticket, actor=agent, expected_version=None, status="solved")
    clock.advance(days=2)
    result = preview(automation)
    assert [row["ticket"].pk for row in result] == [ticket.pk]
    assert result[0]["actions"] == ["set status: closed"]
    assert Ticket.objects.get(pk=ticket.pk).status == "solved"


def test_a_macro_applies_several_actions_in_one_step(agent):
    canned = CannedResponse.objects.create(title="Done", body="Fixed by {{ agent.name }}.")
    macro = Macro.objects.create(
        name="Resolve",
        actions=[
            {"action": "send_reply", "value": canned.pk},
            {"action": "add_tags", "value": ["resolved-by-macro"]},
            {"action": "set_status", "value": "solved"},
        ],
    )
    ticket = make_ticket(queue=make_queue("Support"))
    ticket = apply_actions(
        ticket, parse_actions(macro.actions), actor=agent, expected_version=ticket.version
    )
    assert ticket.status == "solved"
    assert ticket.messages.last().body == "Fixed by Aino Agent."
    assert ticket.first_response_at is not None  # a person sent it
    assert list(ticket.tags.values_list("name", flat=True)) == ["resolved-by-macro"]


@pytest.mark.parametrize(
    ("conditions", "actions", "message"),
    [
        ([{"field": "colour", "op": "is", "value": "red"}], [], "unknown field"),
        ([{"field": "status", "op": "gte", "value": 3}], [], "status takes"),
        ([{"field": "status", "op": "is", "value": "lost"}], [], "is not a status"),
        ([{"field": "hours_since_updated", "op": "gte", "value": "x"}], [], "needs a number"),
        ([], [{"action": "explode"}], "unknown action"),
        ([], [{"action": "add_tags", "value": "vip"}], "list of tag names"),
        ([], [{"action": "send_reply", "value": "hi"}], "needs an id"),
        ("status=solved", [], "list of objects"),
    ],
)
def test_malformed_rules_are_refused_with_a_reason(conditions, actions, message):
    with pytest.raises(AutomationSpecError, match=message):
        parse_conditions(conditions)
        parse_actions(actions)
    automation = Automation(
        name="bad",
        trigger="created",
        conditions=conditions,
        actions=actions or [{"action": "set_priority", "value": "low"}],
    )
    with pytest.raises(ValidationError):
        automation.full_clean()


def test_conditions_on_tags_and_hours_are_pure_and_case_insensitive():
    from tickets.automation import matches

    conditions = parse_conditions(
        [
            {"field": "tags", "op": "contains", "value": "VIP"},
            {"field": "hours_since_created", "op": "lte", "value": 2},
            {"field": "queue", "op": "in", "value": ["support", "sales"]},
        ]
    )
    ticket = {"tags": ["vip"], "hours_since_created": 1.5, "queue": "Support"}
    assert matches(conditions, ticket)
    assert not matches(
        conditions, {**ticket, "hours_since_created": timedelta(hours=3) / timedelta(hours=1)}
    )
    assert parse_actions([{"action": "set_assignee", "value": None}]) == (
        Action("set_assignee", None),
    )
