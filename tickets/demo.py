"""Demo queues, canned replies and a few conversations for `manage.py load_demo` (idempotent)."""

from __future__ import annotations

from customers.services import contact_for_user, get_or_create_contact
from helpdesk.models import User

from .models import BusinessHours, CannedResponse, Queue, SlaPolicy, Ticket
from .services import add_message, create_ticket

QUEUES = [
    ("General support", "support", True, ["aino.agent@example.com", "omar.agent@example.com"]),
    ("Returns & refunds", "returns", False, ["omar.agent@example.com"]),
    ("Billing", "billing", False, ["aino.agent@example.com"]),
]
CANNED = [
    ("Greeting", "en",
     "Hello {{ customer.name }},\n\nThanks for reaching out about {{ ticket.reference }}. "),
    ("Tervehdys", "fi",
     "Hei {{ customer.name }},\n\nKiitos yhteydenotostasi ({{ ticket.reference }}). "),
    ("تحية", "ar",
     "مرحبًا {{ customer.name }}،\n\nشكرًا لتواصلك معنا بخصوص {{ ticket.reference }}. "),
    ("问候", "zh-hans",
     "{{ customer.name }}，您好：\n\n感谢您就 {{ ticket.reference }} 联系我们。"),
    ("Return label sent", "en", "We have emailed you a prepaid return label. "
     "Drop the parcel at any pickup point within 14 days.\n\n{{ agent.name }}"),
]  # fmt: skip
TICKETS = [
    ("casey.customer@example.com", "Casey Customer", "en", "support",
     "My parcel has not arrived", "Order NW-48213 was due on Monday and tracking has not moved."),
    ("matti@example.fi", "Matti Meikäläinen", "fi", "returns",
     "Palautus ei näy tilillä", "Palautin takin viikko sitten, mutta palautusta ei näy."),
    ("layla@example.ae", "ليلى", "ar", "billing",
     "لم أستلم الفاتورة", "أحتاج إلى فاتورة ضريبية للطلب NW-50111."),
    ("wei@example.cn", "王伟", "zh-hans", "support",
     "订单还没有发货", "我的订单 NW-51002 已经三天了，还没有发货。"),
]  # fmt: skip


def load_service_levels(queues: dict[str, Queue]) -> None:
    """Helsinki office hours on every queue, and two SLA policies (urgent/high, the rest)."""
    office, _ = BusinessHours.objects.update_or_create(
        name="Helsinki office",
        defaults={"timezone": "Europe/Helsinki",
                  "weekly_hours": {str(d): [["08:00", "17:00"]] for d in range(5)}},
    )  # fmt: skip
    for queue in queues.values():
        queue.calendar = office
        queue.save(update_fields=["calendar"])
    SlaPolicy.objects.update_or_create(
        name="Urgent and high",
        defaults={"position": 1, "priorities": ["urgent", "high"], "first_response_minutes": 60,
                  "next_response_minutes": 120, "resolution_minutes": 8 * 60},
    )  # fmt: skip
    SlaPolicy.objects.update_or_create(
        name="Standard",
        defaults={"position": 2, "first_response_minutes": 8 * 60,
                  "next_response_minutes": 16 * 60, "resolution_minutes": 5 * 8 * 60},
    )  # fmt: skip


def load(stdout) -> None:
    queues = {}
    for name, slug, is_default, members in QUEUES:
        queue, _ = Queue.objects.update_or_create(
            slug=slug, defaults={"name": name, "is_default": is_default}
        )
        queue.members.set(User.objects.filter(email__in=members))
        queues[slug] = queue
    load_service_levels(queues)
    for title, language, body in CANNED:
        CannedResponse.objects.update_or_create(
            title=title, defaults={"language": language, "body": body}
        )
    casey = User.objects.filter(email="casey.customer@example.com").first()
    if casey:
        contact_for_user(casey)
    for email, name, language, queue, subject, body in TICKETS:
        if Ticket.objects.filter(subject=subject).exists():
            continue
        contact = get_or_create_contact(email=email, name=name, language=language)
        ticket = create_ticket(subject=subject, body=body, requester=contact, channel="web",
                               queue=queues[queue], language=language)  # fmt: skip
        if email.startswith("casey"):
            agent = User.objects.get(email="aino.agent@example.com")
            add_message(ticket=ticket, body="Sorry about the wait! I have asked the courier.",
                        author_user=agent)  # fmt: skip
    stdout.write(f"Tickets: {Ticket.objects.count()} in {len(queues)} queues.")
