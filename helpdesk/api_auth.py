"""API token authentication that does not read the database on every request.

DRF's TokenAuthentication reads the token and its user (one query, ~2 ms of a ticket creation).
Here each process remembers the tokens it has checked, as a cached config (config_cache.py):
creating, deleting or replacing a token, or saving or deleting any user (deactivated, a new
role or password), bumps its version, and every process forgets them on its next request.
That needs a cache shared by every process (Redis): without one, API_TOKENS_REMEMBERED is off
and each request checks its token as DRF does.
"""

from __future__ import annotations

import copy
import time

from django.conf import settings
from rest_framework.authentication import TokenAuthentication

from .config_cache import cached_config, invalidate, is_login_stamp

NAME = "api-tokens"
MAX_REMEMBERED = 10_000
# A token is checked again after this long even if no revocation was heard: publishing one
# can fail while Redis is unreachable (the cache ignores its errors), and a revoked token
# must not stay trusted for good.
RECHECK_SECONDS = 60.0


def _remembered() -> dict:
    return cached_config(NAME, dict)


def forget_tokens(update_fields=None, **kwargs) -> None:
    """Signal receiver (apps.py): every process checks its tokens again."""
    if not is_login_stamp(update_fields):
        invalidate(NAME)


class CachedTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <key>`, as DRF's, with the checked tokens remembered per process.

    Only valid tokens of active users are remembered; a wrong or revoked key is refused by
    DRF's own check, with its own message. Each request gets its own copy of the user, so
    nothing one request sets on it reaches another."""

    def authenticate_credentials(self, key: str):
        if not settings.API_TOKENS_REMEMBERED:  # no shared cache to hear of revocations
            return super().authenticate_credentials(key)
        remembered = _remembered()
        found = remembered.get(key)
        if found is None or time.monotonic() - found[2] > RECHECK_SECONDS:
            user, token = super().authenticate_credentials(key)
            if len(remembered) >= MAX_REMEMBERED:
                remembered.clear()
            found = remembered[key] = (user, token, time.monotonic())
        user, token, _checked = found
        return copy.copy(user), token
