"""The event log is append-only and recorded through one function."""

import pytest

from helpdesk.events import record_event, record_events
from helpdesk.models import Event


@pytest.mark.django_db
def test_event_is_stored_with_its_context_when_recorded():
    event = record_event(
        kind="kb.article_viewed",
        visitor_id="v1",
        session_id="s1",
        contact_id=7,
        language="fi",
        data={"article": 3},
    )
    stored = Event.objects.get(pk=event.pk)
    assert (stored.kind, stored.visitor_id, stored.contact_id, stored.language) == (
        "kb.article_viewed",
        "v1",
        7,
        "fi",
    )
    assert stored.data == {"article": 3}


@pytest.mark.django_db
def test_saving_an_existing_event_is_refused_when_someone_tries_to_edit_it():
    event = record_event(kind="x")
    event.kind = "y"
    with pytest.raises(ValueError, match="append-only"):
        event.save()
    with pytest.raises(ValueError, match="append-only"):
        event.delete()
    assert Event.objects.get(pk=event.pk).kind == "x"


@pytest.mark.django_db
def test_overlong_visitor_ids_are_truncated_when_recorded():
    event = record_event(kind="x", visitor_id="v" * 500)
    assert len(event.visitor_id) == 64


@pytest.mark.django_db
def test_many_events_are_inserted_together_when_batched():
    count = record_events([Event(kind="kb.article_viewed") for _ in range(2500)])
    assert count == 2500
    assert Event.objects.of_kind("kb.article_viewed").count() == 2500
