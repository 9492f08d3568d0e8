"""Custom attributes: values checked against their definitions' types (text/number/date/choice)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from ..models import AttributeDefinition, AttributeType

MAX_TEXT = 1000


def _coerce(definition: AttributeDefinition, value):
    """The stored form of one value, or ValueError with a message for the user."""
    if definition.type == AttributeType.TEXT:
        text = str(value).strip()
        if len(text) > MAX_TEXT:
            raise ValueError(_("at most %(n)s characters") % {"n": MAX_TEXT})
        return text
    if definition.type == AttributeType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("a number is required"))
        try:
            number = Decimal(str(value).strip().replace(",", "."))
        except InvalidOperation:
            raise ValueError(_("a number is required")) from None
        if not number.is_finite():
            raise ValueError(_("a number is required"))
        return int(number) if number == number.to_integral_value() else float(number)
    if definition.type == AttributeType.DATE:
        try:
            return date.fromisoformat(str(value).strip()).isoformat()
        except ValueError:
            raise ValueError(_("a date (YYYY-MM-DD) is required")) from None
    if definition.type == AttributeType.CHOICE:
        text = str(value).strip()
        if text not in (definition.choices or []):
            allowed = ", ".join(str(c) for c in definition.choices or [])
            raise ValueError(_("one of: %(choices)s") % {"choices": allowed})
        return text
    raise ValueError(_("unknown attribute type"))


def validate_attributes(
    *, target: str, values: dict, existing: dict | None = None, partial: bool = True
) -> dict:
    """Merged, type-checked attributes. Unknown keys and bad values raise ValidationError
    naming each key; None or "" removes a value. With partial=False, required keys must be set."""
    if not isinstance(values, dict):
        raise ValidationError(_("Attributes must be an object of key: value."))
    definitions = {d.key: d for d in AttributeDefinition.objects.filter(target=target)}
    result = dict(existing or {})
    errors: dict[str, str] = {}
    for key, value in values.items():
        definition = definitions.get(key)
        if definition is None:
            errors[key] = _("unknown attribute")
        elif value is None or value == "":
            result.pop(key, None)
        else:
            try:
                result[key] = _coerce(definition, value)
            except ValueError as exc:
                errors[key] = str(exc)
    if not partial:
        for key, definition in definitions.items():
            if definition.is_required and key not in result and key not in errors:
                errors[key] = _("required")
    if errors:
        raise ValidationError({f"attributes.{k}": v for k, v in errors.items()})
    return result
