"""Parsing real messages: every charset decoded, automatic mail recognised, parts found."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mail.parsing import decode_bytes, parse_email
from tests.mail.conftest import read_fixture


@pytest.mark.parametrize(
    ("name", "subject", "sender", "text"),
    [
        ("charset_iso8859_1.eml", "Tilaus ei ole saapunut äö", "Äijä Öhman", "Hyvää päivää!"),
        (
            "charset_windows1252.eml",
            "Double charge",
            "Pat Smith",
            "charged €49 twice — that’s “not OK”",
        ),
        (
            "charset_latin1_mislabelled_1252.eml",
            "Mislabelled charset",
            "Pat Smith",
            "Don’t charge me €10",
        ),
        ("charset_windows1256.eml", "طلبي متأخر", "عمر", "مرحبا، لم يصل طلبي بعد"),
        ("charset_gb2312.eml", "订单没有到", "李华", "朱镕基路的地址正确吗"),
        ("charset_shift_jis.eml", "商品が届きません", "山田", "①確認をお願いします"),
        (
            "gmail_new_multipart_alternative.eml",
            "My order NW-12345 has not arrived",
            "Casey Customer",
            "still says “label created”",
        ),
    ],
)
def test_text_subject_and_sender_are_decoded_from_their_charset(name, subject, sender, text):
    parsed = parse_email(read_fixture(name))
    assert parsed.subject == subject
    assert parsed.from_name == sender
    assert text in parsed.text
    assert "\ufffd" not in parsed.text + parsed.subject


def test_undeclared_or_unknown_charsets_fall_back_to_utf8_then_windows_1252():
    assert decode_bytes("päivä".encode(), None) == "päivä"
    assert decode_bytes("päivä".encode("cp1252"), "x-unknown-charset") == "päivä"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("autoreply_auto_submitted.eml", "Auto-Submitted"),
        ("autoreply_precedence_bulk.eml", "Precedence: bulk"),
        ("autoreply_x_autoreply.eml", "X-Autoreply"),
        ("autoreply_outlook.eml", "Outlook automatic reply"),
        ("bounce_dsn.eml", "Auto-Submitted"),
        ("bounce_mailer_daemon_plain.eml", "mailer-daemon"),
    ],
)
def test_machine_sent_mail_is_recognised(name, reason):
    parsed = parse_email(read_fixture(name))
    assert parsed.is_automatic
    assert reason in parsed.auto_reason


def test_a_delivery_report_is_recognised_by_its_structure_alone():
    raw = read_fixture("bounce_dsn.eml").replace(b"Auto-Submitted: auto-replied\r\n", b"")
    raw = raw.replace(b"MAILER-DAEMON@", b"mail@").replace(b"Return-Path: <>\r\n", b"")
    parsed = parse_email(raw)
    assert parsed.auto_reason == "delivery report (delivery-status)"


@pytest.mark.parametrize(
    "name",
    [
        "gmail_new_multipart_alternative.eml",
        "reply_outlook.eml",
        "charset_gb2312.eml",
        "forwarded_inline.eml",
        "html_only.eml",
        "attachments.eml",
    ],
)
def test_mail_written_by_people_is_not_automatic(name):
    assert not parse_email(read_fixture(name)).is_automatic


def test_auto_submitted_no_is_a_person():
    raw = read_fixture("reply_outlook.eml").replace(
        b"MIME-Version: 1.0", b"Auto-Submitted: no\r\nMIME-Version: 1.0"
    )
    assert not parse_email(raw).is_automatic


def test_attachments_are_found_with_decoded_names_and_bytes():
    parsed = parse_email(read_fixture("attachments.eml"))
    names = [(a.filename, a.content_type) for a in parsed.attachments]
    assert names == [
        ("invoice 2026-11.pdf", "application/pdf"),
        ("damage.png", "image/png"),
        ("setup.exe", "application/octet-stream"),
        ("päiväkirja.txt", "text/plain"),
    ]
    assert parsed.attachments[0].content.startswith(b"%PDF-1.4")
    assert parsed.attachments[3].content == "Päiväkirja".encode("latin-1")
    assert parsed.text.strip() == "Invoice and a photo of the damage attached."


def test_a_message_forwarded_as_attachment_stays_one_attachment():
    parsed = parse_email(read_fixture("forwarded_as_attachment.eml"))
    assert parsed.text.strip() == "See the attached message from our accounts team."
    [attached] = parsed.attachments
    assert attached.content_type == "message/rfc822"
    assert b"old street address" in attached.content


def test_html_only_mail_becomes_text_without_script_style_or_remote_images():
    parsed = parse_email(read_fixture("html_only.eml"))
    assert "The lamp from order NW-77881 arrived broken." in parsed.text
    assert "[image: broken lamp photo]" in parsed.text
    assert "my order <https://shop.example.net/orders/77881>" in parsed.text
    for gone in (
        "alert",
        "steal",
        "evil.example",
        "tracker.example.net",
        "color: red",
        "ignore me",
    ):
        assert gone not in parsed.text


def test_threading_headers_are_read_nearest_first():
    parsed = parse_email(read_fixture("reply_gmail.eml"))
    assert parsed.message_id == "<CAJx7Vh3reply0001@mail.gmail.com>"
    assert parsed.thread_ids == ["<n1.7f3c2a9d1e4b@example.com>", "<ticket-1000@example.com>"]


@given(st.binary(max_size=2000))
@settings(max_examples=300, deadline=None)
def test_any_bytes_parse_without_raising(junk):
    for raw in (
        junk,
        b"From: a@example.com\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n" + junk,
    ):
        parsed = parse_email(raw)
        assert isinstance(parsed.text, str) and isinstance(parsed.subject, str)


@given(st.text(max_size=300))
@settings(max_examples=200, deadline=None)
def test_any_header_text_parses_without_raising(value):
    header = value.replace("\r", " ").replace("\n", " ").encode("utf-8", "surrogatepass")
    raw = b"From: " + header + b"\r\nSubject: " + header + b"\r\nIn-Reply-To: " + header
    parsed = parse_email(raw + b"\r\n\r\nbody")
    assert "\n" not in parsed.subject
