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
from django.db.models import F, Q
from django.utils import timezone

from helpdesk.celery import enqueue_on_commit
from helpdesk.config_cache import cached_config

from .. import webhooks as http
from ..models import DeliveryStatus, Ticket, Webhook, WebhookDelivery

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
MAX_BACKOFF = timedelta(hours=1)
# A claimed delivery is not due again until the POST's timeout and this margin have passed.
CLAIM_MARGIN = timedelta(seconds=60)


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
    """Try one pending delivery that is due (idempotent: others are left alone).

    The delivery is claimed in one UPDATE, which makes it not due for a lease; the POST then
    runs with no transaction open and no lock held, so a slow receiver ties up no database
    connection. A second worker finds it claimed and does nothing. A worker that dies mid-send
    leaves the claim to run out, and the sweep sends it again (receivers drop repeats by the
    delivery id)."""
    now = timezone.now()
    lease_until = now + timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS) + CLAIM_MARGIN
    claimed = WebhookDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        pk=delivery_id, status=DeliveryStatus.PENDING,
    ).update(next_attempt_at=lease_until, attempts=F("attempts") + 1)  # fmt: skip
    if not claimed:
        return False  # delivered, given up, claimed by another worker, or not due yet
    delivery = WebhookDelivery.objects.select_related("webhook").get(pk=delivery_id)
    ok = _attempt(delivery)  # counted by the claim: a worker dying mid-send still uses one up
    if ok:
        delivery.status, delivery.delivered_at = DeliveryStatus.DELIVERED, timezone.now()
        delivery.next_attempt_at = None
    elif delivery.attempts >= MAX_ATTEMPTS or not delivery.webhook.is_active:
        delivery.status, delivery.next_attempt_at = DeliveryStatus.FAILED, None
    else:
        delivery.next_attempt_at = timezone.now() + backoff(delivery.attempts)
    # Recorded only while the claim is ours: after a send slower than the lease, another
    # worker may have taken the delivery over, and its outcome is the one that stands.
    WebhookDelivery.objects.filter(
        pk=delivery.pk, status=DeliveryStatus.PENDING, next_attempt_at=lease_until
    ).update(
        status=delivery.status, attempts=delivery.attempts,
        next_attempt_at=delivery.next_attempt_at, delivered_at=delivery.delivered_at,
        response_status=delivery.response_status, last_error=delivery.last_error,
    )  # fmt: skip
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
