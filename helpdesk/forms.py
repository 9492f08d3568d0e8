"""Form fields shared by every app."""

from __future__ import annotations

from django import forms
from django.forms.models import ModelChoiceIterator


class PlainModelChoiceIterator(ModelChoiceIterator):
    """Options read with one ordinary SELECT.

    Django's iterator uses `QuerySet.iterator()`, which on PostgreSQL opens a server-side
    cursor (DECLARE ... WITH HOLD, FETCH, CLOSE: three round trips, and outside a transaction
    the server materialises the result) for a list of a few dozen queues or agents.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = PlainModelChoiceIterator
