"""Pure automation rules: validate condition and action specs, and match a ticket snapshot.

No Django imports: the database side (tickets/services/automations.py) builds the snapshot
and applies the actions through the ticket services.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

STATUSES = ("new", "open", "pending", "on_hold", "solved", "closed")
PRIORITIES = ("low", "normal", "high", "urgent")
CHANNELS = ("web", "widget", "email", "api", "phone")

# field -> the operators it accepts
FIELDS: dict[str, tuple[str, ...]] = {
    "status": ("is", "is_not", "in", "not_in"),
    "priority": ("is", "is_not", "in", "not_in"),
    "channel": ("is", "is_not", "in", "not_in"),
    "queue": ("is", "is_not", "in", "not_in"),  # queue slug
    "language": ("is", "is_not", "in", "not_in"),
    "assignee": ("is", "is_not"),  # user id, or None for "nobody"
    "tags": ("contains", "not_contains"),
    "subject": ("contains", "not_contains"),
    "body": ("contains", "not_contains"),  # the triggering (or first) message
    "hours_since_updated": ("gte", "lte"),
    "hours_since_created": ("gte", "lte"),
}
ACTIONS = (
    "set_status",
    "set_priority",
    "set_queue",
    "set_assignee",
    "add_tags",
    "remove_tags",
    "set_tags",
    "add_note",
    "send_reply",
)


class AutomationSpecError(ValueError):
    """A condition or action spec is malformed; the message says which and why."""


@dataclass(frozen=True)
class Condition:
    field: str
    op: str
    value: Any

    def holds(self, ticket: Mapping[str, Any]) -> bool:
        actual = ticket.get(self.field)
        if self.op in ("contains", "not_contains"):
            found = _contains(actual, self.value)
            return found if self.op == "contains" else not found
        if self.op == "is":
            return _same(actual, self.value)
        if self.op == "is_not":
            return not _same(actual, self.value)
        if self.op in ("in", "not_in"):
            inside = any(_same(actual, v) for v in self.value)
            return inside if self.op == "in" else not inside
        if actual is None:
            return False
        return actual >= self.value if self.op == "gte" else actual <= self.value


@dataclass(frozen=True)
class Action:
    action: str
    value: Any


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.casefold() == expected.casefold()
    return actual == expected


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list | tuple | set | frozenset):
        return any(_same(item, expected) for item in actual)
    return isinstance(actual, str) and str(expected).casefold() in actual.casefold()


def _spec_list(raw: Any, what: str) -> list[Mapping[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise AutomationSpecError(f"{what} must be a list of objects")
    return raw


def parse_conditions(raw: Any) -> tuple[Condition, ...]:
    """Validated conditions; AutomationSpecError names the first problem."""
    conditions = []
    for index, item in enumerate(_spec_list(raw, "conditions"), start=1):
        field, op, value = item.get("field"), item.get("op"), item.get("value")
        if field not in FIELDS:
            raise AutomationSpecError(f"condition {index}: unknown field {field!r}")
        if op not in FIELDS[field]:
            allowed = ", ".join(FIELDS[field])
            raise AutomationSpecError(f"condition {index}: {field} takes {allowed}, not {op!r}")
        if op in ("in", "not_in") and not isinstance(value, list):
            raise AutomationSpecError(f"condition {index}: {op} needs a list value")
        if op in ("gte", "lte") and (isinstance(value, bool) or not isinstance(value, int | float)):
            raise AutomationSpecError(f"condition {index}: {op} needs a number")
        _check_choice(field, value, f"condition {index}")
        conditions.append(Condition(field, op, value))
    return tuple(conditions)


def _check_choice(field: str, value: Any, where: str) -> None:
    choices = {"status": STATUSES, "priority": PRIORITIES, "channel": CHANNELS}.get(field)
    if choices is None:
        return
    for item in value if isinstance(value, list) else [value]:
        if item not in choices:
            raise AutomationSpecError(f"{where}: {item!r} is not a {field} ({', '.join(choices)})")


def parse_actions(raw: Any) -> tuple[Action, ...]:
    """Validated actions, in order."""
    actions = []
    for index, item in enumerate(_spec_list(raw, "actions"), start=1):
        name, value = item.get("action"), item.get("value")
        where = f"action {index}"
        if name not in ACTIONS:
            raise AutomationSpecError(f"{where}: unknown action {name!r}")
        if name == "set_status":
            _check_choice("status", value, where)
        elif name == "set_priority":
            _check_choice("priority", value, where)
        elif name in ("add_tags", "remove_tags", "set_tags"):
            if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
                raise AutomationSpecError(f"{where}: {name} needs a list of tag names")
        elif name == "add_note" and not (isinstance(value, str) and value.strip()):
            raise AutomationSpecError(f"{where}: add_note needs the note's text")
        elif name in ("send_reply", "set_assignee") and not _is_id(value, name == "set_assignee"):
            raise AutomationSpecError(f"{where}: {name} needs an id")
        elif name == "set_queue" and not (isinstance(value, str) and value):
            raise AutomationSpecError(f"{where}: set_queue needs a queue slug")
        actions.append(Action(name, value))
    if not actions and raw:
        raise AutomationSpecError("no actions")
    return tuple(actions)


def _is_id(value: Any, allow_none: bool) -> bool:
    if value is None:
        return allow_none
    return isinstance(value, int) and not isinstance(value, bool) and value > 0


def matches(conditions: tuple[Condition, ...], ticket: Mapping[str, Any]) -> bool:
    """Whether every condition holds for the snapshot (no conditions: always)."""
    return all(condition.holds(ticket) for condition in conditions)
