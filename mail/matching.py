"""Which ticket an inbound message belongs to: Message-IDs we sent, then a token, then a
plus-address; and who may add to that ticket by mail."""

from __future__ import annotations

import re

from django.conf import settings

from customers.models import Contact
from tickets.models import Message, Notification, Ticket

from .models import InboundEmail, TicketParticipant
from .parsing import ParsedEmail

SUBJECT_TOKEN = re.compile(r"\[HD-(\d{1,12})\]", re.IGNORECASE)
PLUS_TOKEN = re.compile(r"\+HD-(\d{1,12})@", re.IGNORECASE)
THREAD_ID = re.compile(r"^<ticket-(\d{1,12})@([^>]+)>$")
MAX_IDS = 50


def own_domain() -> str:
    return settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip(" >").lower()


def own_addresses() -> set[str]:
    """Addresses that are the helpdesk itself: mail from them is a loop, never a customer."""
    addresses = {a.lower() for a in settings.MAIL_OWN_ADDRESSES}
    addresses.add(settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].strip(" >").lower())
    return addresses


def is_own_address(address: str) -> bool:
    local, _at, domain = address.lower().partition("@")
    own = own_addresses()
    return address.lower() in own or f"{local.split('+', 1)[0]}@{domain}" in own


def _ticket_id_from_message_ids(ids: list[str]) -> int | None:
    found: dict[str, int] = {}
    sources = (
        Message.objects.filter(email_message_id__in=ids).values_list("email_message_id", "ticket"),
        Notification.objects.filter(email_message_id__in=ids).values_list(
            "email_message_id", "ticket"
        ),
        InboundEmail.objects.filter(rfc_message_id__in=ids, ticket__isnull=False).values_list(
            "rfc_message_id", "ticket"
        ),
    )
    for rows in sources:
        found.update({mid: tid for mid, tid in rows if mid not in found})
    domain = own_domain()
    for mid in ids:  # nearest first: In-Reply-To, then References from the newest
        if mid in found:
            return found[mid]
        match = THREAD_ID.match(mid)
        if match and match.group(2).lower() == domain:
            return int(match.group(1))
    return None


def _ticket_id_from_tokens(parsed: ParsedEmail) -> int | None:
    match = SUBJECT_TOKEN.search(parsed.subject)
    if match:
        return int(match.group(1))
    for address in [*parsed.to, *parsed.cc, *parsed.delivered_to]:
        match = PLUS_TOKEN.search(address)
        if match and is_own_address(address):
            return int(match.group(1))
    return None


def find_ticket(parsed: ParsedEmail) -> Ticket | None:
    """The ticket this message answers (following merges), or None for a new conversation."""
    ticket_id = None
    if parsed.thread_ids:
        ticket_id = _ticket_id_from_message_ids(parsed.thread_ids[:MAX_IDS])
    if ticket_id is None:
        ticket_id = _ticket_id_from_tokens(parsed)
    ticket = Ticket.objects.filter(pk=ticket_id).first() if ticket_id else None
    for _hop in range(5):  # a merged ticket's mail goes on in the ticket it was merged into
        if ticket is None or ticket.merged_into_id is None:
            break
        ticket = Ticket.objects.filter(pk=ticket.merged_into_id).first()
    return ticket


def may_reply_by_mail(ticket: Ticket, contact: Contact) -> bool:
    """The requester and the people copied on the ticket's mail; nobody else."""
    if ticket.requester_id == contact.pk:
        return True
    return TicketParticipant.objects.filter(ticket=ticket, contact=contact).exists()
