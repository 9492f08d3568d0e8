"""Shared pieces of the knowledge-base API: tags, error mapping, schema snippets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
)
from rest_framework import status
from rest_framework.exceptions import APIException

from .. import services

TAGS = ["kb"]
BAD_LANG = OpenApiResponse(description="Unknown `lang` or another invalid parameter.")
NOT_FOUND = OpenApiResponse(description="Not found, or not visible to you.")
RULE_BROKEN = OpenApiResponse(description="Invalid input, or a knowledge-base rule was broken.")
GROUP_ID = OpenApiParameter(
    "group_id", int, OpenApiParameter.PATH, description="The original article's id."
)


class KbRuleBroken(APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = "A knowledge-base rule was broken."
    default_code = "kb_rule"


@contextmanager
def kb_errors_as_400() -> Iterator[None]:
    """A service's KbError carries a message safe to show: answer 400 with it."""
    try:
        yield
    except services.KbError as exc:
        raise KbRuleBroken(str(exc)) from exc
