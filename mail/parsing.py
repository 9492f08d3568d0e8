"""RFC 822 messages to plain data: headers, decoded text, attachments, auto-reply verdict.

Pure Python (no Django): everything here is tested on raw bytes.
"""

from __future__ import annotations

import email
import email.errors
import hashlib
import re
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from email.message import EmailMessage
from email.parser import BytesHeaderParser
from email.policy import default as default_policy
from email.utils import getaddresses, parseaddr

from .htmltext import html_to_text

# Declared charsets that mail clients routinely violate: decode with the superset that every
# real client uses (WHATWG's encoding table does the same).
CHARSET_SUPERSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "shift_jis": "cp932",
    "shift-jis": "cp932",
    "sjis": "cp932",
    "x-sjis": "cp932",
    "ks_c_5601-1987": "cp949",
    "euc-kr": "cp949",
    "iso-8859-9": "cp1254",
    "windows-874": "cp874",
    "utf8": "utf-8",
}
AUTO_PRECEDENCE = {"bulk", "junk", "auto_reply", "auto-reply"}
AUTO_HEADERS = ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply")
AUTO_SUBJECT_PREFIXES = ("automatic reply:", "autoreply:", "auto-reply:", "auto reply:")
SYSTEM_LOCALPARTS = {"mailer-daemon", "postmaster", "noreply-dmarc-support"}
_MSGID = re.compile(r"<[^<>\s]+>")


@dataclass
class Attachment:
    filename: str
    content_type: str
    content: bytes
    is_inline: bool = False


@dataclass
class ParsedEmail:
    message_id: str
    subject: str
    from_address: str
    from_name: str
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    delivered_to: list[str] = field(default_factory=list)
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    text: str = ""
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    auto_reason: str = ""
    raw_sha256: str = ""
    # Our MTA's verdict (the top Authentication-Results header): a forged one can only make
    # a message less trusted, never more.
    is_dmarc_failed: bool = False

    @property
    def is_automatic(self) -> bool:
        return bool(self.auto_reason)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs this one answers, nearest first."""
        return list(dict.fromkeys([*self.in_reply_to, *reversed(self.references)]))


def decode_bytes(payload: bytes, charset: str | None) -> str:
    """Decode with the declared charset (through its superset), falling back sensibly."""
    declared = (charset or "").strip().strip('"').lower()
    candidates = [CHARSET_SUPERSETS.get(declared, declared)] if declared else []
    candidates += ["utf-8", "cp1252"]
    for name in candidates:
        try:
            return payload.decode(name)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def _decoded(raw) -> str:
    """A raw header value with RFC 2047 words decoded leniently."""
    try:
        return str(make_header(decode_header(str(raw))))
    except (ValueError, LookupError, UnicodeError, email.errors.HeaderParseError):
        return str(raw)


def _raw_header(msg: EmailMessage, name: str) -> str | None:
    """The header as sent (for values the stdlib's structured parser rejects)."""
    raw = next((v for k, v in msg.raw_items() if k.lower() == name.lower()), None)
    return None if raw is None else _decoded(raw)


def _header(msg: EmailMessage, name: str) -> str:
    try:
        value = msg.get(name)
    except Exception:  # the stdlib's structured parsers crash on some malformed headers
        value = _raw_header(msg, name)
    if value is None:
        return ""
    text = str(value)
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # raw 8-bit bytes in the header
        text = decode_bytes(text.encode("utf-8", "surrogateescape"), None)
    return " ".join(text.split())


def _addresses(msg: EmailMessage, *names: str) -> list[str]:
    values = []
    for name in names:
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                values.append(_decoded(raw) if "=?" in str(raw) else str(raw))
    try:
        pairs = getaddresses(values)
    except (ValueError, IndexError):
        return []
    return [addr.lower() for _n, addr in pairs if "@" in addr]


def _message_ids(value: str) -> list[str]:
    return _MSGID.findall(value or "")


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True) or b""
    text = decode_bytes(payload, part.get_content_charset())
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _leaves(msg: EmailMessage):
    """Leaf parts in order, without descending into attached messages (forwards)."""
    if msg.get_content_type() == "message/rfc822" or not msg.is_multipart():
        yield msg
        return
    for part in msg.iter_parts():
        yield from _leaves(part)


def _walk_parts(msg: EmailMessage, parsed: ParsedEmail) -> None:
    """Fill text, html and attachments. The first text/plain and text/html bodies win."""
    for part in _leaves(msg):
        ctype = part.get_content_type()
        disposition = part.get_content_disposition()
        filename = part.get_filename()
        if ctype == "message/rfc822" or (disposition == "attachment" or filename):
            _add_attachment(part, parsed, ctype, filename, disposition)
        elif ctype == "text/plain" and not parsed.text:
            parsed.text = _part_text(part)
        elif ctype == "text/html" and not parsed.html:
            parsed.html = _part_text(part)
        elif not ctype.startswith("text/"):
            _add_attachment(part, parsed, ctype, filename, disposition)


def _add_attachment(part, parsed: ParsedEmail, ctype: str, filename, disposition) -> None:
    if ctype == "message/rfc822":
        inner = part.get_payload()
        inner = inner[0] if isinstance(inner, list) else inner
        content = inner.as_bytes() if hasattr(inner, "as_bytes") else bytes(inner)
        filename = filename or "forwarded-message.eml"
    else:
        content = part.get_payload(decode=True) or b""
    name = (filename or f"attachment.{ctype.split('/')[-1]}").replace("/", "_").replace("\\", "_")
    parsed.attachments.append(
        Attachment(
            filename=name.strip()[:200] or "attachment",
            content_type=ctype[:100],
            content=content,
            is_inline=disposition == "inline",
        )
    )


def automatic_reason(msg: EmailMessage, from_address: str, subject: str) -> str:
    """Why this message was sent by a machine (RFC 3834, bounces), or "" for a person."""
    auto_submitted = _header(msg, "Auto-Submitted").lower()
    if auto_submitted and auto_submitted.split(";")[0].strip() != "no":
        return f"Auto-Submitted: {auto_submitted}"
    precedence = _header(msg, "Precedence").lower()
    if precedence in AUTO_PRECEDENCE:
        return f"Precedence: {precedence}"
    for name in AUTO_HEADERS:
        if msg.get(name) is not None:
            return f"{name} header"
    if _header(msg, "X-Auto-Response-Suppress").lower() in {
        "all",
        "oof",
    } and subject.lower().startswith(AUTO_SUBJECT_PREFIXES):
        return "Outlook automatic reply"
    if msg.get_content_type() == "multipart/report":
        return f"delivery report ({msg.get_param('report-type') or 'unknown'})"
    if from_address.split("@")[0] in SYSTEM_LOCALPARTS:
        return f"sent by {from_address.split('@')[0]}"
    if _header(msg, "Return-Path") == "<>":
        return "empty envelope sender (bounce)"
    if subject.lower().startswith(AUTO_SUBJECT_PREFIXES):
        return "automatic reply subject"
    return ""


def parse_headers(raw: bytes) -> ParsedEmail:
    """Only what storing a message needs (Message-ID, From, Subject, its hash): the body
    and attachments are parsed once, when the message is processed."""
    return _parsed_headers(BytesHeaderParser(policy=default_policy).parsebytes(raw), raw)


def parse_email(raw: bytes) -> ParsedEmail:
    """Parse raw RFC 822 bytes into a ParsedEmail."""
    msg = email.message_from_bytes(raw, policy=default_policy)
    parsed = _parsed_headers(msg, raw)
    subject = parsed.subject
    _walk_parts(msg, parsed)
    if not parsed.text and parsed.html:
        parsed.text = html_to_text(parsed.html)
    parsed.auto_reason = automatic_reason(msg, parsed.from_address, subject)
    parsed.is_dmarc_failed = "dmarc=fail" in _header(msg, "Authentication-Results").lower()
    return parsed


def _parsed_headers(msg: EmailMessage, raw: bytes) -> ParsedEmail:
    from_name, from_address = parseaddr(_header(msg, "From"))
    subject = _header(msg, "Subject")
    return ParsedEmail(
        message_id=(_message_ids(_header(msg, "Message-ID")) or [""])[0][:255],
        subject=subject,
        from_address=from_address.strip().lower(),
        from_name=from_name.strip()[:200],
        to=_addresses(msg, "To"),
        cc=_addresses(msg, "Cc"),
        delivered_to=_addresses(msg, "Delivered-To", "X-Original-To", "Envelope-To"),
        in_reply_to=_message_ids(_header(msg, "In-Reply-To")),
        references=_message_ids(_header(msg, "References")),
        raw_sha256=hashlib.sha256(raw).hexdigest(),
    )
