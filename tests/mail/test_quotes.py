"""Quoted history and signatures are cut from replies the way each mail client writes them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mail.parsing import parse_email
from mail.quotes import strip_reply, strip_signature
from tests.mail.conftest import read_fixture


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("reply_gmail.eml", "Thanks, the parcel arrived today. You can close this.\n\nCasey"),
        (
            "reply_outlook.eml",
            "Hi,\n\nThe replacement has not arrived yet. Could you send the "
            "tracking number?\n\nBest regards\nCasey",
        ),
        ("reply_apple_mail.eml", "Great, thank you! It arrived."),
        ("reply_thunderbird.eml", "Thanks. Which courier is it with?"),
    ],
)
def test_each_clients_reply_keeps_only_the_new_text(name, expected):
    assert strip_reply(parse_email(read_fixture(name)).text) == expected


def test_quoted_history_in_other_languages_is_cut():
    fi = (
        "Kiitos!\n\nma 16.11.2026 klo 10.00 Northwind Support <support@example.com> kirjoitti:"
        "\n> Hei"
    )
    zh = "谢谢！\n\n在 2026年11月16日 10:00，Northwind Support 写道：\n> 您好"
    assert strip_reply(fi) == "Kiitos!"
    assert strip_reply(zh) == "谢谢！"


def test_original_message_separator_cuts_everything_below():
    text = "Yes please.\n\n-----Original Message-----\nFrom: Support\nSent: today\n\nOld text"
    assert strip_reply(text) == "Yes please."


def test_a_forward_is_never_cut():
    text = parse_email(read_fixture("forwarded_inline.eml")).text
    assert "the portal says my password is wrong" in strip_reply(text)


def test_a_reply_that_is_only_quotes_keeps_something():
    assert strip_reply("> only a quote\n> nothing new") == "> only a quote\n> nothing new"


def test_signature_after_the_delimiter_is_dropped():
    text = parse_email(read_fixture("gmail_new_multipart_alternative.eml")).text
    stripped = strip_signature(text)
    assert stripped.endswith("Thanks,\nCasey")
    assert "+358" not in stripped


def test_a_dash_line_at_the_top_is_not_taken_for_a_signature():
    assert strip_signature("--\nonly this") == "--\nonly this"


def test_an_html_only_outlook_reply_keeps_only_the_new_text():
    from mail.htmltext import html_to_text

    html = (
        '<html><body><div dir="ltr">Still waiting for the tracking number.</div>'
        '<div id="appendonsend"></div><hr style="display:inline-block;width:98%">'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>From:</b> Northwind Support'
        " &lt;support@example.com&gt;<br><b>Sent:</b> Friday, November 20, 2026 6:02 PM<br>"
        "<b>To:</b> Casey<br><b>Subject:</b> [HD-1000] We received your request</font></div>"
        "<div>Hello Casey, we have sent a replacement.</div></body></html>"
    )
    assert strip_reply(html_to_text(html)) == "Still waiting for the tracking number."


@given(st.text(max_size=500))
@settings(max_examples=300, deadline=None)
def test_a_reply_never_loses_everything(text):
    result = strip_reply(text)
    assert isinstance(result, str)
    if text.strip():
        assert result.strip()
