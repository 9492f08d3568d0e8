"""Tickets and mail in a contact's privacy export and erasure (customers cannot see them)."""

from __future__ import annotations

from django.db.models import Q

from customers.models import Contact
from customers.services.privacy import ERASED_DOMAIN
from tickets.models import Attachment, Message, MessageKind, Notification, Ticket, TicketChange

from .models import InboundEmail, TicketParticipant

ERASED = "[erased]"


def export_section(sender, contact: Contact, **kwargs) -> dict:
    """The contact's tickets with their public conversation, and the mail they sent us."""
    tickets = (
        Ticket.objects.filter(requester=contact)
        .order_by("created_at")
        .prefetch_related("attachments")
    )
    messages = Message.objects.filter(
        Q(ticket__requester=contact) | Q(author_contact=contact), kind=MessageKind.PUBLIC
    ).order_by("created_at", "id")
    by_ticket: dict[int, list] = {}
    for m in messages.iterator():
        by_ticket.setdefault(m.ticket_id, []).append(
            {
                "at": m.created_at.isoformat(),
                "from_you": m.author_contact_id == contact.pk,
                "body": m.body,
            }
        )
    return {
        "tickets": [
            {
                "reference": t.reference,
                "subject": t.subject,
                "status": t.status,
                "channel": t.channel,
                "created_at": t.created_at.isoformat(),
                "satisfaction": t.satisfaction,
                "satisfaction_comment": t.satisfaction_comment,
                "attachments": [a.filename for a in t.attachments.all()],
                "messages": by_ticket.get(t.pk, []),
            }
            for t in tickets
        ],
        "emails_received": [
            {
                "subject": i.subject,
                "from": i.from_address,
                "received_at": i.received_at.isoformat(),
                "status": i.status,
            }
            for i in InboundEmail.objects.filter(contact=contact).order_by("received_at")
        ],
    }


def erase_section(sender, contact: Contact, **kwargs) -> None:
    """Blank what the contact wrote and what was written to them; keep the rows for statistics."""
    tickets = Ticket.objects.filter(requester=contact)
    mail = InboundEmail.objects.filter(Q(contact=contact) | Q(ticket__in=tickets))
    for inbound in mail.exclude(raw=""):
        inbound.raw.delete(save=False)
    mail.update(raw="", from_address="", subject=ERASED, reason="")
    for attachment in Attachment.objects.filter(
        Q(ticket__in=tickets) | Q(message__author_contact=contact)
    ):
        attachment.file.delete(save=False)
        attachment.delete()
    Message.objects.filter(Q(ticket__in=tickets) | Q(author_contact=contact)).update(
        body=ERASED, body_html=f"<p>{ERASED}</p>"
    )
    TicketChange.objects.filter(ticket__in=tickets, field="subject").update(old=ERASED, new=ERASED)
    Notification.objects.filter(
        Q(ticket__in=tickets) | Q(recipient_email__iexact=contact.email)
    ).update(recipient_email=f"erased-{contact.pk}@{ERASED_DOMAIN}", last_error="")
    tickets.update(subject=ERASED, satisfaction_comment="")
    TicketParticipant.objects.filter(contact=contact).delete()
