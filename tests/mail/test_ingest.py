"""Inbound mail becomes tickets and replies; machines, loops and forgers never get through."""

from __future__ import annotations

import pytest

from customers.models import Contact
from helpdesk.models import Event
from mail.models import InboundEmail, InboundStatus, TicketParticipant
from mail.services import MailError, ingest_email
from tests.mail.conftest import read_fixture
from tickets.models import Attachment, Message, Notification, Ticket
from tickets.services import merge_tickets, update_ticket

pytestmark = pytest.mark.django_db


def ingest(name: str, ticket=None) -> InboundEmail:
    return ingest_email(read_fixture(name, ticket=ticket), source="command")


def test_a_new_message_opens_an_email_ticket_for_the_sender_and_acknowledges_it():
    inbound = ingest("gmail_new_multipart_alternative.eml")
    ticket = inbound.ticket
    assert inbound.status == InboundStatus.TICKET_CREATED
    assert ticket.channel == "email" and ticket.subject == "My order NW-12345 has not arrived"
    assert ticket.requester.email == "casey.customer@gmail.com"
    assert ticket.requester.name == "Casey Customer"
    [message] = ticket.messages.all()
    assert message.body.endswith("Can you check where it is?\n\nThanks,\nCasey")
    assert "+358" not in message.body  # signature dropped
    assert message.author_contact == ticket.requester and message.author_user is None
    assert Notification.objects.filter(ticket=ticket, kind="created").count() == 1
    assert inbound.raw.open("rb").read() == read_fixture("gmail_new_multipart_alternative.eml")
    assert Event.objects.filter(kind="email.received", contact_id=ticket.requester_id).exists()


def test_people_in_cc_become_participants_of_the_ticket():
    ticket = ingest("gmail_new_multipart_alternative.eml").ticket
    participants = TicketParticipant.objects.filter(ticket=ticket)
    assert [p.contact.email for p in participants] == ["robin.partner@gmail.com"]


def test_html_only_mail_is_stored_as_safe_text_without_remote_images():
    message = ingest("html_only.eml").ticket.messages.get()
    assert "The lamp from order NW-77881 arrived broken." in message.body
    for html in (message.body, message.body_html):
        assert "<script" not in html and "tracker.example.net" not in html
        assert "<img" not in html and "javascript:" not in html
    assert 'href="https://shop.example.net/orders/77881"' in message.body_html


def test_html_typed_into_a_plain_text_mail_is_shown_as_text():
    raw = read_fixture("reply_subject_token_only.eml").replace(
        b"One more thing: the box was also wet.",
        b'<img src="https://tracker.example/p.gif"> ![x](https://tracker.example/q.gif)',
    )
    message = ingest_email(raw, source="command").message
    assert "<img" not in message.body_html and "&lt;img" in message.body_html


def test_mail_text_is_rendered_once_as_plain_text_never_as_markdown(monkeypatch):
    import tickets.services.core as core

    def no_markdown(*args, **kwargs):
        raise AssertionError("mail must not go through Markdown")

    monkeypatch.setattr(core, "render_markdown", no_markdown)
    new = ingest("gmail_new_multipart_alternative.eml")
    reply = ingest("reply_subject_token_only.eml", ticket=new.ticket)
    assert new.status == InboundStatus.TICKET_CREATED and new.message.body_html.startswith("<p>")
    assert reply.status == InboundStatus.REPLY_ADDED and reply.message.body_html.startswith("<p>")
    stored = Message.objects.get(pk=new.message.pk)
    assert stored.body_html == new.message.body_html  # written once, with the message


def test_storing_a_message_reads_only_its_headers(monkeypatch):
    from mail import parsing
    from mail.services import receive_email

    def no_body(*args, **kwargs):
        raise AssertionError("the body is parsed when the message is processed")

    monkeypatch.setattr(parsing, "_walk_parts", no_body)
    inbound, is_new = receive_email(
        read_fixture("gmail_new_multipart_alternative.eml"), source="command"
    )
    assert is_new and inbound.from_address == "casey.customer@gmail.com"
    assert inbound.subject == "My order NW-12345 has not arrived" and inbound.rfc_message_id


def test_attachments_are_saved_on_the_message_and_blocked_types_are_noted():
    message = ingest("attachments.eml").message
    files = {a.filename: a for a in Attachment.objects.filter(message=message)}
    assert set(files) == {"invoice 2026-11.pdf", "damage.png", "päiväkirja.txt"}
    assert files["invoice 2026-11.pdf"].file.read().startswith(b"%PDF-1.4")
    assert files["damage.png"].content_type == "image/png"
    assert "“setup.exe” was not kept" in message.body


def test_an_attachment_over_the_size_limit_is_noted_not_kept(settings):
    settings.MAX_ATTACHMENT_BYTES = 60  # the PDF has 45 bytes, the PNG 70
    message = ingest("attachments.eml").message
    names = set(Attachment.objects.filter(message=message).values_list("filename", flat=True))
    assert names == {"invoice 2026-11.pdf", "päiväkirja.txt"}
    assert "“damage.png” was too large to keep" in message.body


def test_forwarded_messages_keep_the_forwarded_content():
    body = ingest("forwarded_inline.eml").message.body
    assert "the portal says my password is wrong" in body
    attached = ingest("forwarded_as_attachment.eml").message.attachments.get()
    assert attached.filename == "Wrong invoice address.eml"


@pytest.mark.parametrize(
    "name",
    [
        "charset_iso8859_1.eml",
        "charset_windows1252.eml",
        "charset_windows1256.eml",
        "charset_gb2312.eml",
        "charset_shift_jis.eml",
    ],
)
def test_tickets_from_non_utf8_mail_read_correctly(name):
    ticket = ingest(name).ticket
    assert "\ufffd" not in ticket.subject + ticket.messages.get().body
    assert (
        ticket.subject in read_fixture(name).decode("ascii", "ignore")
        or not ticket.subject.isascii()
    )


@pytest.mark.parametrize(
    "name",
    [
        "autoreply_auto_submitted.eml",
        "autoreply_precedence_bulk.eml",
        "autoreply_x_autoreply.eml",
        "autoreply_outlook.eml",
        "bounce_dsn.eml",
        "bounce_mailer_daemon_plain.eml",
    ],
)
def test_auto_replies_and_bounces_never_open_tickets_or_send_acknowledgements(name, emailed_ticket):
    before = (Ticket.objects.count(), Message.objects.count(), Notification.objects.count())
    inbound = ingest(name, ticket=emailed_ticket)
    assert inbound.status == InboundStatus.IGNORED and inbound.reason
    assert inbound.ticket is None
    assert (Ticket.objects.count(), Message.objects.count(), Notification.objects.count()) == before


def test_mail_from_our_own_address_is_a_loop_and_ignored():
    raw = read_fixture("forwarded_inline.eml").replace(
        b"kim@acme.example>", b"support@example.com>"
    )
    inbound = ingest_email(raw, source="command")
    assert inbound.status == InboundStatus.IGNORED and "loop" in inbound.reason
    assert not Ticket.objects.exists()


@pytest.mark.parametrize(
    "name",
    ["reply_gmail.eml", "reply_outlook.eml", "reply_apple_mail.eml", "reply_thunderbird.eml"],
)
def test_replies_thread_onto_the_ticket_by_the_message_id_we_sent(name, emailed_ticket):
    inbound = ingest(name)
    assert inbound.status == InboundStatus.REPLY_ADDED
    assert inbound.ticket == emailed_ticket
    reply = emailed_ticket.messages.order_by("id").last()
    assert reply == inbound.message and reply.author_contact == emailed_ticket.requester
    assert "Northwind Support" not in reply.body and ">" not in reply.body
    assert Ticket.objects.count() == 1


def test_a_reply_threads_by_our_ticket_thread_id_in_references(emailed_ticket):
    raw = read_fixture("reply_gmail.eml", ticket=emailed_ticket).replace(
        b"<n1.7f3c2a9d1e4b@example.com>", b"<unknown@example.com>"
    )
    assert ingest_email(raw, source="command").ticket == emailed_ticket


@pytest.mark.parametrize("name", ["reply_subject_token_only.eml", "reply_plus_address_only.eml"])
def test_without_threading_headers_the_token_or_plus_address_finds_the_ticket(name, emailed_ticket):
    inbound = ingest(name, ticket=emailed_ticket)
    assert inbound.status == InboundStatus.REPLY_ADDED and inbound.ticket == emailed_ticket


def test_a_token_on_another_domain_is_not_ours(emailed_ticket):
    raw = read_fixture("reply_plus_address_only.eml", ticket=emailed_ticket).replace(
        b"@example.com>", b"@elsewhere.example>"
    )
    assert ingest_email(raw, source="command").status == InboundStatus.TICKET_CREATED


def test_a_forged_agent_address_never_posts_as_the_agent(emailed_ticket, make_user):
    agent = make_user(role="agent", email="aino.agent@example.com", name="Aino Agent")
    inbound = ingest("reply_spoofed_agent.eml")
    assert inbound.status == InboundStatus.TICKET_CREATED
    assert inbound.ticket != emailed_ticket
    assert not Message.objects.filter(author_user=agent).exists()
    assert not emailed_ticket.messages.filter(body__contains="Refund approved").exists()
    assert (
        inbound.message.author_user is None and inbound.message.author_contact.email == agent.email
    )
    assert inbound.ticket.messages.get().kind == "public"


def test_a_reply_from_someone_not_on_the_ticket_opens_a_new_ticket(emailed_ticket):
    inbound = ingest("reply_from_stranger.eml")
    assert inbound.status == InboundStatus.TICKET_CREATED and inbound.ticket != emailed_ticket
    assert "sender not on the ticket" in inbound.reason
    assert inbound.ticket.requester.email == "someone.else@example.org"


def test_a_reply_from_someone_in_cc_joins_the_ticket_as_themselves(emailed_ticket):
    inbound = ingest("reply_from_cc.eml")
    assert inbound.status == InboundStatus.REPLY_ADDED and inbound.ticket == emailed_ticket
    assert inbound.message.author_contact.email == "robin.partner@gmail.com"
    assert inbound.message.body == "Adding: the order was a gift for me."
    assert emailed_ticket.requester.email == "casey.customer@gmail.com"


def test_a_reply_to_a_closed_ticket_opens_a_new_one(emailed_ticket, agent):
    update_ticket(ticket=emailed_ticket, actor=agent, expected_version=None, status="solved")
    update_ticket(ticket=emailed_ticket, actor=agent, expected_version=None, status="closed")
    inbound = ingest("reply_gmail.eml")
    assert inbound.status == InboundStatus.TICKET_CREATED and "closed" in inbound.reason


def test_a_reply_to_a_solved_ticket_reopens_it(emailed_ticket, agent):
    update_ticket(ticket=emailed_ticket, actor=agent, expected_version=None, status="solved")
    ingest("reply_outlook.eml")
    emailed_ticket.refresh_from_db()
    assert emailed_ticket.status == "open"


def test_a_reply_to_a_merged_ticket_lands_in_the_ticket_it_was_merged_into(emailed_ticket, agent):
    target = ingest("charset_windows1252.eml").ticket
    Ticket.objects.filter(pk=target.pk).update(requester=emailed_ticket.requester)
    merge_tickets(source=emailed_ticket, target=Ticket.objects.get(pk=target.pk), actor=agent)
    assert ingest("reply_gmail.eml").ticket == target


def test_the_same_message_delivered_twice_is_processed_once(emailed_ticket):
    first = ingest("reply_gmail.eml")
    second = ingest("reply_gmail.eml")
    assert first.pk == second.pk
    assert emailed_ticket.messages.count() == 2
    assert InboundEmail.objects.filter(rfc_message_id=first.rfc_message_id).count() == 1


def test_a_message_without_message_id_is_deduplicated_by_its_bytes():
    raw = read_fixture("html_only.eml").replace(
        b"Message-ID: <20261116.4242.html-only@shop.example.net>\r\n", b""
    )
    assert ingest_email(raw, source="command").pk == ingest_email(raw, source="command").pk
    assert Ticket.objects.count() == 1


def test_garbage_and_oversized_input_is_refused(settings):
    with pytest.raises(MailError):
        ingest_email(b"   ", source="command")
    with pytest.raises(MailError):
        ingest_email(b"just some text without headers", source="command")
    settings.MAIL_MAX_MESSAGE_BYTES = 100
    with pytest.raises(MailError):
        ingest("attachments.eml")


def test_a_known_contact_keeps_their_name_when_mail_says_otherwise():
    Contact.objects.create(email="casey.customer@gmail.com", name="Casey C.")
    ticket = ingest("gmail_new_multipart_alternative.eml").ticket
    assert ticket.requester.name == "Casey C."
    assert Contact.objects.filter(email__iexact="casey.customer@gmail.com").count() == 1


def test_our_acknowledgement_of_an_emailed_ticket_is_marked_automatic(mailoutbox):
    from tickets.services.notify import deliver_notification

    ticket = ingest("gmail_new_multipart_alternative.eml").ticket
    notification = Notification.objects.get(ticket=ticket, kind="created")
    assert deliver_notification(notification.pk)
    [sent] = mailoutbox
    assert sent.extra_headers["Auto-Submitted"] == "auto-generated"
    assert sent.to == ["casey.customer@gmail.com"]
    # ...and an auto-reply to it, threading on its Message-ID, is dropped.
    raw = read_fixture("autoreply_auto_submitted.eml").replace(
        b"Auto-Submitted: auto-replied",
        f"In-Reply-To: {sent.extra_headers['Message-ID']}\r\nAuto-Submitted: auto-replied".encode(),
    )
    assert ingest_email(raw, source="command").status == InboundStatus.IGNORED
    assert ticket.messages.count() == 1


def test_a_reply_whose_dmarc_check_failed_cannot_post_on_the_ticket(emailed_ticket):
    raw = read_fixture("reply_gmail.eml").replace(
        b"MIME-Version: 1.0",
        b"Authentication-Results: mx.example.com; dmarc=fail (p=REJECT) header.from=gmail.com\r\n"
        b"MIME-Version: 1.0",
        1,
    )
    inbound = ingest_email(raw, source="command")
    assert inbound.status == InboundStatus.TICKET_CREATED and inbound.ticket != emailed_ticket
    assert "DMARC failed" in inbound.reason
    assert emailed_ticket.messages.count() == 1


def test_a_failure_is_kept_and_the_sweep_retries_it(monkeypatch):
    from datetime import timedelta

    from django.utils import timezone

    from mail import services
    from mail.services import process_email, retryable_ids

    original = services._route
    monkeypatch.setattr(services, "_route", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    inbound = ingest("html_only.eml")
    assert (inbound.status, inbound.attempts) == (InboundStatus.FAILED, 1)
    assert "disk full" in inbound.reason and not Ticket.objects.exists()
    assert retryable_ids() == []  # not before two minutes have passed
    InboundEmail.objects.filter(pk=inbound.pk).update(
        received_at=timezone.now() - timedelta(minutes=3)
    )
    assert retryable_ids() == [inbound.pk]
    monkeypatch.setattr(services, "_route", original)
    assert process_email(inbound.pk).status == InboundStatus.TICKET_CREATED
    assert Ticket.objects.count() == 1 and retryable_ids() == []
