"""Seed many tickets quickly (COPY on PostgreSQL, batched INSERTs elsewhere) for scale tests.

`seed_tickets N` tops the database up to N tickets: it counts what is there and writes the rest
in chunks of one transaction each, so an interrupted run resumes where it stopped. Rows are
written with raw SQL rather than `bulk_create` so that the spread `created_at`/`updated_at`
dates survive (`auto_now` would overwrite them) and so that PostgreSQL can use COPY.
"""

from __future__ import annotations

import csv
import io
import json
import random
import time
from datetime import datetime, timedelta

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.db.models import JSONField, Max, Model
from django.utils import timezone

from customers.models import Contact
from helpdesk.bulk import refresh_statistics
from helpdesk.markdown import render_markdown
from helpdesk.models import Role, User
from tickets.models import Channel, Message, MessageKind, Priority, Queue, Status, Tag, Ticket

CHUNK = 10_000
TICKETS_PER_CONTACT = 4
AGENTS = 20
EMAIL_DOMAIN = "seed.example.test"
TAGS = ["billing", "shipping", "refund", "bug", "login", "vip", "feedback", "returns"]
STATUS_WEIGHTS = {
    Status.NEW: 10, Status.OPEN: 25, Status.PENDING: 15, Status.ON_HOLD: 5,
    Status.SOLVED: 25, Status.CLOSED: 20,
}  # fmt: skip
PRIORITY_WEIGHTS = {Priority.LOW: 20, Priority.NORMAL: 55, Priority.HIGH: 20, Priority.URGENT: 5}
SUBJECTS = [
    "Where is my order", "Refund not received", "Cannot log in", "Wrong size delivered",
    "Invoice address change", "Parcel damaged", "Voucher code rejected", "Cancel my order",
    "Payment failed twice", "Tracking number does not work", "Exchange an item", "Late delivery",
]  # fmt: skip
BODIES = [
    "Hello,\n\nI ordered **three items** last week and only one arrived. Can you check?",
    "Hi, the courier says the parcel was delivered but it is not here.\n\n- order 4411\n- paid",
    "Thanks for the quick answer! I will try again tomorrow.",
    "We have refunded the payment; it may take *3–5 working days* to show on your card.",
    "Customer called: wants a callback after 5pm. Checked the warehouse, item is in stock.",
]


class Command(BaseCommand):
    help = "Top the database up to N tickets (with contacts, queues, agents, tags, messages)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("tickets", type=int, help="Total number of tickets wanted.")
        parser.add_argument("--queues", type=int, default=5)
        parser.add_argument("--messages-per-ticket", type=int, default=3)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, tickets: int, queues: int, messages_per_ticket: int, **opts) -> None:
        started = time.monotonic()
        have = Ticket.objects.count()
        if have >= tickets:
            self.stdout.write(f"already {have} tickets; nothing to do")
            return
        seeder = Seeder(
            queues=queues, messages=messages_per_ticket, rng=random.Random(opts["seed"])
        )
        seeder.prepare(tickets - have)
        done = 0
        while done < tickets - have:
            size = min(CHUNK, tickets - have - done)
            with transaction.atomic():
                seeder.write_chunk(size)
            done += size
            if opts["verbosity"] > 1 or done % 100_000 == 0:
                self.stdout.write(f"{have + done} tickets ({time.monotonic() - started:.0f} s)")
        _reset_sequences()
        # Statistics, and the visibility map so open-ticket counts are index-only scans.
        refresh_statistics(Contact, Ticket, Message, Ticket.tags.through, vacuum=True)
        self.stdout.write(
            f"seeded {done} tickets ({have + done} in total) in {time.monotonic() - started:.1f} s"
        )


class Seeder:
    """Generates rows chunk by chunk; ids are allocated here so messages can refer to tickets."""

    def __init__(self, *, queues: int, messages: int, rng: random.Random) -> None:
        self.queue_count, self.messages, self.rng = queues, messages, rng
        self.now = timezone.now()
        self.bodies = [(b, render_markdown(b).html) for b in BODIES]

    def prepare(self, new_tickets: int) -> None:
        self.queues = _ensure_queues(self.queue_count)
        self.members = _ensure_agents(self.queues)
        self.tags = [Tag.objects.get_or_create(name=name)[0].pk for name in TAGS]
        self.contacts = _ensure_contacts(
            Ticket.objects.count() + new_tickets, self.now - timedelta(days=400)
        )
        self.next_ticket = (Ticket.objects.aggregate(m=Max("id"))["m"] or 0) + 1
        self.next_message = (Message.objects.aggregate(m=Max("id"))["m"] or 0) + 1

    def write_chunk(self, size: int) -> None:
        tickets, messages, tags = [], [], []
        for _ in range(size):
            ticket = self._ticket(self.next_ticket)
            tickets.append(ticket)
            messages.extend(self._messages(ticket))
            if self.rng.random() < 0.3:
                tags.append((ticket[0], self.rng.choice(self.tags)))
            self.next_ticket += 1
        _insert(Ticket, TICKET_COLUMNS, tickets)
        _insert(Message, MESSAGE_COLUMNS, messages)
        _insert(Ticket.tags.through, ("ticket_id", "tag_id"), tags)

    def _ticket(self, pk: int) -> tuple:
        rng = self.rng
        created = self.now - timedelta(seconds=rng.randrange(365 * 86400))
        updated = min(created + timedelta(seconds=rng.randrange(10 * 86400)), self.now)
        status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
        priority = rng.choices(list(PRIORITY_WEIGHTS), weights=list(PRIORITY_WEIGHTS.values()))[0]
        queue = rng.choice(self.queues)
        members = self.members[queue]
        assignee = None if status == Status.NEW or rng.random() < 0.15 else rng.choice(members)
        subject = f"{rng.choice(SUBJECTS)} #{pk}"
        return (
            pk, subject, status, priority, rng.choice(Channel.values), queue, assignee,
            self.contacts[(pk // TICKETS_PER_CONTACT) % len(self.contacts)], "en", created,
            updated, updated if status != Status.NEW else None,
            updated if status in (Status.SOLVED, Status.CLOSED) else None,
            updated if status == Status.CLOSED else None, 1, None, "", "", None,
        )  # fmt: skip

    def _messages(self, ticket: tuple) -> list[tuple]:
        pk, created, updated, contact, assignee = (
            ticket[0],
            ticket[9],
            ticket[10],
            ticket[7],
            ticket[6],
        )
        step = (updated - created) / max(self.messages, 1)
        rows = []
        for n in range(self.messages):
            body, html = self.bodies[(pk + n) % len(self.bodies)]
            # customer, agent reply, agent's internal note, customer, ...
            by_agent = n % 3 != 0 and assignee is not None
            kind = MessageKind.INTERNAL if by_agent and n % 3 == 2 else MessageKind.PUBLIC
            rows.append((
                self.next_message, pk, kind, assignee if by_agent else None,
                None if by_agent else contact, body, html, ticket[4], "", created + step * n,
            ))  # fmt: skip
            self.next_message += 1
        return rows


TICKET_COLUMNS = (
    "id", "subject", "status", "priority", "channel", "queue_id", "assignee_id", "requester_id",
    "language", "created_at", "updated_at", "first_response_at", "solved_at", "closed_at",
    "version", "merged_into_id", "satisfaction", "satisfaction_comment", "rated_at",
)  # fmt: skip
MESSAGE_COLUMNS = (
    "id", "ticket_id", "kind", "author_user_id", "author_contact_id", "body", "body_html",
    "channel", "email_message_id", "created_at",
)  # fmt: skip


def _ensure_queues(count: int) -> list[int]:
    ids = []
    for n in range(1, count + 1):
        queue, _ = Queue.objects.get_or_create(
            slug=f"seed-{n}", defaults={"name": f"Seed queue {n}", "is_default": False}
        )
        ids.append(queue.pk)
    return ids


def _ensure_agents(queues: list[int]) -> dict[int, list[int]]:
    """AGENTS agents, each a member of one or two queues; returns queue -> member ids."""
    members: dict[int, list[int]] = {q: [] for q in queues}
    for n in range(AGENTS):
        user, created = User.objects.get_or_create(
            email=f"agent{n}@{EMAIL_DOMAIN}",
            defaults={"name": f"Seed Agent {n}", "role": Role.AGENT},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        for queue in {queues[n % len(queues)], queues[(n * 7 + 1) % len(queues)]}:
            user.queues.add(queue)
            members[queue].append(user.pk)
    return members


def _ensure_contacts(tickets: int, created: datetime) -> list[int]:
    """One seed contact per TICKETS_PER_CONTACT tickets; their ids in creation order."""
    wanted = max(1, tickets // TICKETS_PER_CONTACT)
    seeds = Contact.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    have = seeds.count()
    for start in range(have, wanted, CHUNK * 5):
        rows = [
            (f"Customer {n}", f"customer{n}@{EMAIL_DOMAIN}", "en", created, created)
            for n in range(start, min(wanted, start + CHUNK * 5))
        ]
        with transaction.atomic():
            _insert(Contact, ("name", "email", "language", "created_at", "updated_at"), rows)
    return list(seeds.order_by("pk").values_list("pk", flat=True))


def _defaults(model: type[Model], columns: tuple[str, ...]) -> dict[str, object]:
    """Values for the NOT NULL columns with a default that a caller did not list (fields
    other apps add later, like a contact's `attributes`), as raw SQL needs them."""
    extra: dict[str, object] = {}
    for field in model._meta.concrete_fields:
        fillable = field.has_default() or field.empty_strings_allowed  # "" for blank text
        if field.column in columns or field.primary_key or field.null or not fillable:
            continue
        value = field.get_default()
        extra[field.column] = json.dumps(value) if isinstance(field, JSONField) else value
    return extra


def _insert(model: type[Model], columns: tuple[str, ...], rows: list[tuple]) -> None:
    if not rows:
        return
    extra = _defaults(model, columns)
    if extra:
        columns = (*columns, *extra)
        rows = [(*row, *extra.values()) for row in rows]
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerows(tuple(r"\N" if v is None else v for v in row) for row in rows)
            buffer.seek(0)
            sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            cursor.cursor.copy_expert(sql, buffer)
        else:
            adapt = connection.ops.adapt_datetimefield_value
            values = [tuple(adapt(v) if isinstance(v, datetime) else v for v in r) for r in rows]
            marks = ", ".join(["%s"] * len(columns))
            # Table and column names come from model metadata, never from input.
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
            cursor.executemany(sql, values)


def _reset_sequences() -> None:
    """Explicit ids bypass PostgreSQL's sequences: move them past the seeded rows."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in (Ticket, Message):
            table = model._meta.db_table
            sql = (
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )
            cursor.execute(sql)  # table names from model metadata
