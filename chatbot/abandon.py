"""Abandoned bot conversations: idle for a while, neither resolved, ended nor escalated."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from helpdesk.events import record_event

from .models import Conversation, ConversationStatus

BATCH = 500


def abandoned_candidates(*, idle_minutes: int, now: datetime):
    """With the bot, no ticket, quiet since the cutoff, not yet marked; the bot neither heard
    "yes, solved" nor finished a flow after the visitor spoke (state idle with turns)."""
    cutoff = now - timedelta(minutes=idle_minutes)
    return (
        Conversation.objects.filter(
            status=ConversationStatus.BOT,
            ticket__isnull=True,
            abandoned_at__isnull=True,
            updated_at__lt=cutoff,
        )
        .exclude(state__resolved=True)
        .exclude(state__status="idle", state__turns__gt=0)
        .order_by("updated_at", "pk")
    )


def mark_abandoned_conversations(
    *, idle_minutes: int | None = None, now: datetime | None = None
) -> int:
    """Mark each abandoned conversation once and record `chat.abandoned` with it; the count."""
    minutes = settings.CHATBOT_ABANDON_AFTER_MINUTES if idle_minutes is None else idle_minutes
    now = now or timezone.now()
    marked = 0
    while True:
        batch = list(
            abandoned_candidates(idle_minutes=minutes, now=now).values_list(
                "pk", "public_id", "contact_id", "language", "state", "updated_at"
            )[:BATCH]
        )
        for row in batch:
            marked += _mark(now, *row)
        if len(batch) < BATCH:
            return marked


def _mark(now: datetime, pk: int, public_id, contact_id, language, state, updated_at) -> int:
    with transaction.atomic():
        # The conditional update is the guard: two sweeps at once mark (and record) once.
        won = Conversation.objects.filter(pk=pk, abandoned_at__isnull=True).update(abandoned_at=now)
        if won:
            state = state or {}
            record_event(
                kind="chat.abandoned", session_id=str(public_id), contact_id=contact_id,
                language=language, data={
                    "conversation": pk, "flow": state.get("flow"), "step": state.get("step"),
                    "intent": state.get("intent"), "turns": state.get("turns", 0),
                    "waiting_for_email": state.get("status") == "escalated",
                    "idle_since": updated_at.isoformat(),
                },
            )  # fmt: skip
    return won
