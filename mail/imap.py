"""Poll IMAP mailboxes: fetch messages newer than the last seen UID and ingest each once."""

from __future__ import annotations

import contextlib
import imaplib
import logging
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.utils import timezone

from .models import Mailbox
from .services import MailError, ingest_email

logger = logging.getLogger(__name__)
BATCH = 50


@dataclass
class PollResult:
    fetched: int = 0
    error: str = ""


def mailbox_from_url(url: str) -> Mailbox | None:
    """The mailbox of IMAP_URL (imaps://user:pass@host:993/INBOX), kept as a row so that its
    UID position survives restarts."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme not in {"imap", "imaps"}:
        raise ValueError("IMAP_URL must start with imap:// or imaps://")
    username = unquote(parts.username or "")
    mailbox, _created = Mailbox.objects.update_or_create(
        name="IMAP_URL",
        defaults={
            "host": parts.hostname or "",
            "port": parts.port or (993 if parts.scheme == "imaps" else 143),
            "use_ssl": parts.scheme == "imaps",
            "username": username,
            "password": unquote(parts.password or ""),
            "folder": unquote(parts.path.strip("/")) or "INBOX",
        },
    )
    return mailbox


def _connect(mailbox: Mailbox) -> imaplib.IMAP4:
    timeout = settings.MAIL_IMAP_TIMEOUT
    if mailbox.use_ssl:
        client = imaplib.IMAP4_SSL(mailbox.host, mailbox.port, timeout=timeout)
    else:
        client = imaplib.IMAP4(mailbox.host, mailbox.port, timeout=timeout)
        client.starttls()  # never send a password in clear text
    client.login(mailbox.username, mailbox.password)
    return client


def _new_uids(client: imaplib.IMAP4, mailbox: Mailbox) -> list[int]:
    status, _data = client.select(f'"{mailbox.folder}"')
    if status != "OK":
        raise imaplib.IMAP4.error(f"cannot open folder {mailbox.folder}")
    _typ, response = client.response("UIDVALIDITY")
    validity = int(response[0]) if response and response[0] else None
    if validity is not None and validity != mailbox.uid_validity:
        mailbox.uid_validity, mailbox.last_uid = validity, 0  # the server renumbered: restart
    _typ, found = client.uid("SEARCH", None, f"UID {mailbox.last_uid + 1}:*")
    uids = sorted(int(u) for u in (found[0] or b"").split())
    # "N:*" always matches the newest message even when it is older than N.
    return [u for u in uids if u > mailbox.last_uid][:BATCH]


def poll_mailbox(mailbox: Mailbox) -> PollResult:
    """Ingest new messages of one mailbox; each UID is remembered only after it is stored."""
    result = PollResult()
    try:
        client = _connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as exc:
        result.error = f"connect: {exc}"
        return _finish(mailbox, result)
    try:
        for uid in _new_uids(client, mailbox):
            _typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
            raw = next((item[1] for item in data if isinstance(item, tuple)), None)
            if raw:
                try:
                    ingest_email(raw, source="imap", mailbox=mailbox)
                except MailError as exc:
                    logger.warning("mailbox %s UID %s skipped: %s", mailbox.pk, uid, exc)
                client.uid("STORE", str(uid), "+FLAGS", "(\\Seen)")
                result.fetched += 1
            mailbox.last_uid = uid
            mailbox.save(update_fields=["last_uid", "uid_validity"])
    except (OSError, imaplib.IMAP4.error) as exc:
        result.error = f"fetch: {exc}"
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            client.logout()
    return _finish(mailbox, result)


def _finish(mailbox: Mailbox, result: PollResult) -> PollResult:
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = result.error[:2000]
    mailbox.save(update_fields=["last_polled_at", "last_error", "last_uid", "uid_validity"])
    if result.error:
        logger.warning("mailbox %s: %s", mailbox, result.error)
    return result


def poll_all() -> int:
    """Poll every active mailbox (and IMAP_URL's); returns how many messages were fetched."""
    mailbox_from_url(settings.IMAP_URL)
    return sum(poll_mailbox(m).fetched for m in Mailbox.objects.filter(is_active=True))
