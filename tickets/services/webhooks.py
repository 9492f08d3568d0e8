"""Webhook fan-out: delivery rows written with the change, sent by Celery, retried with backoff.

Like the mail outbox: a delivery row is written in the transaction of the change, a task sends
it after commit, and the minute sweep retries what failed (1, 2, 4 ... minutes, at most
MAX_ATTEMPTS tries). Each delivery carries a stable id header so receivers can drop repeats.
"""

from __future__ import annotations

import json
import logging
import time
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from helpdesk.celery import enqueue_on_commit
from helpdesk.config_cache import cached_config

from .. import webhooks as http
from ..models import DeliveryStatus, Ticket, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)


def active_webhooks() -> list[Webhook]:
    return cached_config("webhooks", lambda: list(Webhook.objects.filter(is_active=True)))


def ticket_payload(ticket: Ticket) -> dict[str, Any]:
    return {
        "id": ticket.pk,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.priority,
        "channel": ticket.channel,
        "queue": ticket.queue_id,
        "assignee": ticket.assignee_id,
        "language": ticket.language,
        "version": ticket.version,
        "url": f"{settings.SITE_URL}{ticket.get_absolute_url()}",
    }


def queue_webhooks(event: str, ticket: Ticket, data: dict[str, Any] | None = None) -> int:
    """Write one delivery per subscribed webhook; they are sent after commit."""
    hooks = [hook for hook in active_webhooks() if hook.wants(event)]
    if not hooks:
        return 0
    payload = json.loads(
        json.dumps(
            {
                "event": event,
                "occurred_at": timezone.now(),
                "ticket": ticket_payload(ticket),
                "data": data or {},
            },
            cls=DjangoJSONEncoder,
        )
    )
    deliveries = WebhookDelivery.objects.bulk_create(
        [WebhookDelivery(webhook=hook, event=event, payload=payload) for hook in hooks]
    )
    from ..tasks import deliver_webhook

    for delivery in deliveries:
        if delivery.pk is None:  # backends without RETURNING: the sweep sends them
            continue
        enqueue_on_commit(deliver_webhook, delivery.pk)
    return len(deliveries)


def backoff(attempts: int) -> timedelta:
    """Wait after the n-th failed attempt: 1, 2, 4, 8 ... minutes, at most an hour."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def deliver_webhook(delivery_id: int) -> bool:
    """Try one pending delivery (idempotent: delivered or failed rows are left alone)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING)
            .first()
        )
        if delivery is None:
            return False
        now = timezone.now()
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return False  # a retry that is not due yet (an early duplicate task)
        ok = _attempt(delivery)
        delivery.attempts += 1
        if ok:
            delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
            delivery.next_attempt_at = None
        elif delivery.attempts >= MAX_ATTEMPTS or not delivery.webhook.is_active:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
        else:
            delivery.next_attempt_at = now + backoff(delivery.attempts)
        delivery.save(
            update_fields=[
                "status",
                "attempts",
                "next_attempt_at",
                "delivered_at",
                "response_status",
                "last_error",
            ]
        )
        return ok


def _attempt(delivery: WebhookDelivery) -> bool:
    body = json.dumps({"id": str(delivery.uuid), **delivery.payload}, sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Helpdesk-Webhooks/1",
        "X-Helpdesk-Event": delivery.event,
        "X-Helpdesk-Delivery": str(delivery.uuid),
        http.SIGNATURE_HEADER: http.sign(delivery.webhook.secret, body, timestamp),
    }
    try:
        response = http.post(
            delivery.webhook.url, body, headers, timeout=settings.WEBHOOK_TIMEOUT_SECONDS
        )
    except (http.UnsafeTarget, ConnectionError, OSError) as exc:
        delivery.response_status, delivery.last_error = None, f"{type(exc).__name__}: {exc}"[:2000]
        logger.info("webhook delivery %s failed: %s", delivery.pk, exc)
        return False
    delivery.response_status = response.status
    if 200 <= response.status < 300:
        delivery.last_error = ""
        return True
    delivery.last_error = f"HTTP {response.status}: {response.body[:500]}"
    return False


def due_delivery_ids(limit: int = 500) -> list[int]:
    """Pending deliveries whose retry time has come (or that were never tried after a minute)."""
    now = timezone.now()
    due = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING)
    retry = due.filter(next_attempt_at__lte=now)
    never = due.filter(next_attempt_at__isnull=True, created_at__lt=now - timedelta(minutes=1))
    ids = list(retry.order_by("next_attempt_at").values_list("pk", flat=True)[:limit])
    ids += list(never.order_by("created_at").values_list("pk", flat=True)[: limit - len(ids)])
    return ids


def redeliver(delivery: WebhookDelivery) -> WebhookDelivery:
    """An admin's retry: a new pending delivery with the same payload."""
    copy = WebhookDelivery.objects.create(
        webhook=delivery.webhook, event=delivery.event, payload=delivery.payload
    )
    from ..tasks import deliver_webhook

    enqueue_on_commit(deliver_webhook, copy.pk)
    return copy
