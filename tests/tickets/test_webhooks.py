"""Webhooks: SSRF refusals (save and send, after DNS), HMAC signatures, retries, no redirects."""

from __future__ import annotations

import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.tickets.factories import make_queue, make_ticket
from tickets import webhooks as http
from tickets.models import DeliveryStatus, Webhook, WebhookDelivery
from tickets.services.webhooks import MAX_ATTEMPTS, backoff, deliver_webhook, due_delivery_ids

pytestmark = pytest.mark.django_db


class Receiver(BaseHTTPRequestHandler):
    statuses: list[int] = []
    received: list[tuple[dict, bytes]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Receiver.received.append((dict(self.headers), body))
        status = Receiver.statuses.pop(0) if Receiver.statuses else 200
        self.send_response(status)
        if status == 302:
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    Receiver.statuses, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/helpdesk?x=1"
    server.shutdown()
    server.server_close()


@pytest.fixture
def ticket_now(django_capture_on_commit_callbacks):
    """Make a ticket and run what it queued on commit (the first delivery attempt)."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return make_ticket(queue=make_queue("Support"), **kwargs)

    return make


def _hook(url: str, events=("ticket.created",)) -> Webhook:
    return Webhook.objects.create(name="CRM", url=url, events=list(events), secret="s3cret")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://localhost:8000/",
        "http://10.0.0.5/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "ftp://example.com/",
        "http://user:pw@example.com/",
    ],
)
def test_private_local_and_odd_targets_are_refused(url):
    with pytest.raises(http.UnsafeTarget):
        http.check_target(url)


def test_a_public_name_that_resolves_to_a_private_address_is_refused():
    def resolver(host, port):
        return ["93.184.215.14", "10.1.2.3"]  # one answer is enough to refuse

    with pytest.raises(http.UnsafeTarget, match=r"10\.1\.2\.3"):
        http.check_target("https://hooks.example.com/x", resolver)
    assert http.check_target("https://hooks.example.com/x", lambda h, p: ["93.184.215.14"])


def test_saving_a_webhook_to_a_private_address_is_refused():
    hook = Webhook(name="bad", url="http://127.0.0.1:8000/admin/", events=["ticket.created"])
    with pytest.raises(ValidationError) as error:
        hook.full_clean()
    assert "url" in error.value.message_dict


def test_unknown_events_are_refused_at_save(receiver):
    hook = Webhook(name="x", url=receiver, events=["ticket.exploded"])
    with pytest.raises(ValidationError, match=r"ticket\.exploded"):
        hook.full_clean()


def test_the_send_is_refused_when_dns_changed_to_a_private_address_after_save(settings, ticket_now):
    hook = _hook("http://127.0.0.1:9/")  # as if DNS had answered publicly when it was saved
    ticket_now()
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
    assert "private or local" in delivery.last_error


def test_a_delivery_is_signed_and_verifiable_with_the_secret(receiver, ticket_now):
    _hook(receiver)
    ticket = ticket_now()
    ((headers, body),) = Receiver.received
    assert http.verify("s3cret", body, headers["X-Helpdesk-Signature"])
    assert not http.verify("wrong", body, headers["X-Helpdesk-Signature"])
    assert not http.verify("s3cret", body + b" ", headers["X-Helpdesk-Signature"])
    payload = json.loads(body)
    assert payload["event"] == "ticket.created" and payload["ticket"]["id"] == ticket.pk
    assert headers["X-Helpdesk-Delivery"] == payload["id"]
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.DELIVERED and delivery.response_status == 200


def test_a_failed_delivery_is_retried_with_growing_backoff_then_given_up(receiver, ticket_now):
    Receiver.statuses = [500] * MAX_ATTEMPTS
    _hook(receiver)
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    assert delivery.attempts == 1 and delivery.status == DeliveryStatus.PENDING
    assert delivery.last_error.startswith("HTTP 500")
    assert deliver_webhook(delivery.pk) is False  # not due yet: nothing sent
    assert len(Receiver.received) == 1
    for _attempt in range(2, MAX_ATTEMPTS + 1):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        assert due_delivery_ids() == [delivery.pk]
        deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == MAX_ATTEMPTS
    assert len(Receiver.received) == MAX_ATTEMPTS
    assert [backoff(n) for n in (1, 2, 3)] == [timedelta(minutes=m) for m in (1, 2, 4)]
    assert backoff(20) == timedelta(hours=1)


def test_a_retry_succeeds_after_a_failure(receiver, ticket_now):
    Receiver.statuses = [503, 200]
    _hook(receiver)
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver_webhook(delivery.pk) is True
    assert deliver_webhook(delivery.pk) is False  # delivered once, never again
    assert len(Receiver.received) == 2


def test_redirects_are_not_followed(receiver, ticket_now):
    Receiver.statuses = [302]
    _hook(receiver)
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING and delivery.response_status == 302
    assert len(Receiver.received) == 1


def test_only_subscribed_events_are_delivered(receiver, ticket_now):
    _hook(receiver, events=["ticket.solved"])
    ticket_now()
    assert not WebhookDelivery.objects.exists()


def test_https_targets_must_present_a_certificate_the_system_trusts(settings, tmp_path):
    import ssl
    import subprocess

    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    Receiver.statuses, Receiver.received = [], []
    server = HTTPServer(("127.0.0.1", 0), Receiver)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(ConnectionError, match=r"(?i)certificate"):
            http.post(f"https://127.0.0.1:{server.server_port}/", b"{}", {}, timeout=3)
    finally:
        server.shutdown()
        server.server_close()
    assert Receiver.received == []


def test_a_delivery_being_sent_is_not_sent_again_by_another_worker(
    receiver, ticket_now, monkeypatch
):
    _hook(receiver)
    Receiver.statuses = [500]
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    real_post, during = http.post, []

    def post(*args, **kwargs):
        during.append(deliver_webhook(delivery.pk))  # a second worker, mid-send
        during.append(due_delivery_ids())
        return real_post(*args, **kwargs)

    monkeypatch.setattr(http, "post", post)
    assert deliver_webhook(delivery.pk) is True
    assert during == [False, []] and len(Receiver.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 2)


def test_a_claim_left_by_a_worker_that_died_runs_out_and_is_retried(receiver, ticket_now):
    Receiver.statuses = [500]
    _hook(receiver)
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    # A worker claimed it and died before recording anything: its lease ends in the past.
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - timedelta(seconds=1)
    )
    assert due_delivery_ids() == [delivery.pk]
    assert deliver_webhook(delivery.pk) is True


def test_the_sweep_queues_one_task_per_due_delivery(receiver, ticket_now, monkeypatch):
    from tickets import tasks

    Receiver.statuses = [500, 500]
    hooks = [_hook(receiver), _hook(receiver)]
    ticket_now()
    assert len(hooks) == WebhookDelivery.objects.count() == 2
    WebhookDelivery.objects.update(next_attempt_at=timezone.now())
    queued = []
    monkeypatch.setattr(tasks, "send_task_safely", lambda task, args: queued.append(args) or True)
    assert tasks.sweep_webhooks() == 2
    assert sorted(queued) == sorted(
        (pk,) for pk in WebhookDelivery.objects.values_list("pk", flat=True)
    )


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_open_while_a_receiver_answers(receiver, monkeypatch):
    from django.db import connection

    _hook(receiver)
    make_ticket(queue=make_queue("Support"))  # its first attempt runs after the commit
    real_post, seen = http.post, []

    def post(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return real_post(*args, **kwargs)

    monkeypatch.setattr(http, "post", post)
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.PENDING, next_attempt_at=timezone.now()
    )
    deliver_webhook(delivery.pk)
    assert seen == [False]


def test_a_worker_dying_mid_send_still_uses_up_an_attempt(receiver, ticket_now, monkeypatch):
    class WorkerKilled(BaseException):
        pass

    Receiver.statuses = [500]
    _hook(receiver)
    ticket_now()
    delivery = WebhookDelivery.objects.get()
    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    def killed(*args, **kwargs):
        raise WorkerKilled

    monkeypatch.setattr(http, "post", killed)
    with pytest.raises(WorkerKilled):
        deliver_webhook(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.attempts == 2 and delivery.status == DeliveryStatus.PENDING
