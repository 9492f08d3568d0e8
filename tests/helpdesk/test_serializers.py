"""Model serializers build their fields once per class; each instance still owns its fields."""

from __future__ import annotations

import pytest
from rest_framework import serializers

from helpdesk.serializers import CachedModelSerializer
from tickets.api.serializers import TicketDetailSerializer
from tickets.models import Queue

pytestmark = pytest.mark.django_db


class QueueSerializer(CachedModelSerializer):
    label = serializers.CharField(source="name", read_only=True)

    class Meta:
        model = Queue
        fields = ["id", "name", "label"]


def test_fields_are_built_once_per_class(monkeypatch):
    QueueSerializer().fields  # noqa: B018 - builds the prototype
    calls = []
    real = serializers.ModelSerializer.get_fields
    monkeypatch.setattr(
        serializers.ModelSerializer, "get_fields", lambda self: calls.append(1) or real(self)
    )
    assert list(QueueSerializer().fields) == ["id", "name", "label"]
    assert calls == []


def test_each_instance_owns_and_binds_its_fields():
    first, second = QueueSerializer(), QueueSerializer()
    assert first.fields["label"] is not second.fields["label"]
    assert first.fields["label"].parent is first and second.fields["label"].parent is second
    first.fields.pop("label")
    assert "label" in second.fields and "label" in QueueSerializer().fields


def test_a_ticket_reads_the_same_as_with_drfs_own_field_building(monkeypatch, agent):
    from customers.models import Contact
    from tests.tickets.test_api_helpers import make_queue
    from tickets.models import Ticket

    queue = make_queue("Support", agent)
    requester = Contact.objects.create(email="pat@example.com", name="Pat")
    ticket = Ticket.objects.create(subject="Zip", requester=requester, queue=queue, channel="web")
    context = {"is_agent": True, "links": [7]}
    cached = TicketDetailSerializer(ticket, context=context).data
    monkeypatch.setattr(CachedModelSerializer, "get_fields", serializers.ModelSerializer.get_fields)
    assert TicketDetailSerializer(ticket, context=context).data == cached
