"""The IMAP poller: new messages by UID, each ingested once, position kept across polls."""

from __future__ import annotations

import imaplib

import pytest

from mail.imap import mailbox_from_url, poll_mailbox
from mail.models import InboundEmail, Mailbox
from mail.tasks import poll_mailboxes
from tests.mail.conftest import read_fixture
from tickets.models import Ticket

pytestmark = pytest.mark.django_db


class FakeIMAP:
    """The IMAP4 boundary: a folder of (uid, raw) messages with UIDVALIDITY and \\Seen flags."""

    error = imaplib.IMAP4.error
    folder: dict[int, bytes] = {}
    validity = 7
    seen: set[int] = set()
    logins: list[tuple[str, str]] = []
    fail_login = False

    def __init__(self, host, port, timeout=None):
        self.host, self.port = host, port

    def login(self, user, password):
        if FakeIMAP.fail_login:
            raise FakeIMAP.error("AUTHENTICATIONFAILED")
        FakeIMAP.logins.append((user, password))

    def starttls(self):
        pass

    def select(self, folder):
        return "OK", [str(len(self.folder)).encode()]

    def response(self, code):
        return code, [str(FakeIMAP.validity).encode()]

    def uid(self, command, *args):
        if command == "SEARCH":
            low = int(args[1].split()[1].split(":")[0])
            uids = [u for u in sorted(self.folder) if u >= low] or sorted(self.folder)[-1:]
            return "OK", [b" ".join(str(u).encode() for u in uids)]
        if command == "FETCH":
            uid = int(args[0])
            return "OK", [(f"{uid} (UID {uid} BODY[] {{n}}".encode(), self.folder[uid]), b")"]
        if command == "STORE":
            FakeIMAP.seen.add(int(args[0]))
            return "OK", []
        raise AssertionError(command)

    def logout(self):
        return "BYE", []


@pytest.fixture
def imap(monkeypatch):
    FakeIMAP.folder = {
        3: read_fixture("gmail_new_multipart_alternative.eml"),
        5: read_fixture("autoreply_auto_submitted.eml"),
    }
    FakeIMAP.validity, FakeIMAP.seen, FakeIMAP.logins, FakeIMAP.fail_login = 7, set(), [], False
    monkeypatch.setattr(imaplib, "IMAP4_SSL", FakeIMAP)
    monkeypatch.setattr(imaplib, "IMAP4", FakeIMAP)
    return FakeIMAP


@pytest.fixture
def mailbox():
    return Mailbox.objects.create(
        name="Support", host="imap.example.com", username="support@example.com", password="pw"
    )


def test_new_messages_are_ingested_and_marked_seen(imap, mailbox):
    result = poll_mailbox(mailbox)
    assert result.fetched == 2 and result.error == ""
    assert Ticket.objects.count() == 1  # the auto-reply opened nothing
    assert set(InboundEmail.objects.values_list("source", flat=True)) == {"imap"}
    assert imap.seen == {3, 5}
    mailbox.refresh_from_db()
    assert (mailbox.last_uid, mailbox.uid_validity) == (5, 7)


def test_a_second_poll_fetches_only_what_is_new(imap, mailbox):
    poll_mailbox(mailbox)
    assert poll_mailbox(mailbox).fetched == 0  # "6:*" still answers the newest; it is skipped
    imap.folder[9] = read_fixture("charset_gb2312.eml")
    assert poll_mailbox(mailbox).fetched == 1
    assert Ticket.objects.count() == 2


def test_a_message_seen_again_after_uidvalidity_changes_is_not_duplicated(imap, mailbox):
    poll_mailbox(mailbox)
    imap.validity = 8  # the server renumbered its messages
    assert poll_mailbox(mailbox).fetched == 2
    assert Ticket.objects.count() == 1 and InboundEmail.objects.count() == 2


def test_a_login_failure_is_recorded_on_the_mailbox(imap, mailbox):
    imap.fail_login = True
    result = poll_mailbox(mailbox)
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in result.error and "AUTHENTICATIONFAILED" in mailbox.last_error
    assert mailbox.last_uid == 0


def test_the_beat_task_polls_imap_url_and_active_mailboxes(imap, mailbox, settings):
    settings.IMAP_URL = "imaps://help%40example.com:s3cret@imap.example.com:993/Support"
    Mailbox.objects.create(name="Off", host="x", username="x", password="x", is_active=False)
    assert poll_mailboxes.delay().get() == 4  # both mailboxes hold the same two messages
    assert sorted(imap.logins) == [("help@example.com", "s3cret"), ("support@example.com", "pw")]
    from_url = Mailbox.objects.get(name="IMAP_URL")
    assert (from_url.folder, from_url.use_ssl, from_url.port) == ("Support", True, 993)
    assert InboundEmail.objects.count() == 2


def test_imap_url_must_be_an_imap_url():
    with pytest.raises(ValueError):
        mailbox_from_url("https://example.com")
