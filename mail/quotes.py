"""Cut quoted history and signatures out of a reply, the way common mail clients write them.

Pure Python. Covers Gmail, Apple Mail and Thunderbird attribution lines ("On ... wrote:", also
in Finnish, French, German, Spanish, Chinese and Arabic), "> " quoting, Outlook's header block
("From: / Sent: / To: / Subject:") and "-----Original Message-----", the "-- " signature
delimiter and mobile footers. Forwarded messages are never cut.
"""

from __future__ import annotations

import re

_ATTRIBUTION = re.compile(
    r"^\s*("
    r"On\b.{0,300}\bwrote:"  # Gmail, Apple Mail, Thunderbird (English)
    r"|Le\b.{0,300}a écrit\s?:"
    r"|Am\b.{0,300}schrieb.{0,100}:"
    r"|El\b.{0,300}escribió:"
    r"|.{0,300}\bkirjoitti\b.{0,40}:?"  # Finnish: "ma 2.11.2026 klo 10.00 Casey kirjoitti:"
    r"|.{0,300}写道[:：]"
    r"|.{0,300}كتب\s?:?"
    r")\s*$",
    re.IGNORECASE,
)
_ORIGINAL_MESSAGE = re.compile(
    r"^\s*-{2,}\s*(Original Message|Alkuperäinen viesti|Message d'origine|"
    r"Ursprüngliche Nachricht|Mensaje original)\s*-{2,}\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\s*\*?(From|Lähettäjä|De|Von|发件人|من)\s*:\*?\s*\S", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\s*\*?(Sent|Date|To|Subject|Lähetetty|Vastaanottaja|Aihe|Envoyé|Gesendet|Enviado|"
    r"发送时间|收件人|主题|أُرسل|إلى)\s*:",
    re.IGNORECASE,
)
_FORWARD = re.compile(
    r"(-{3,}\s*Forwarded message|Begin forwarded message|Välitetty viesti|Message transféré|"
    r"Weitergeleitete Nachricht|转发的邮件)",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(r"^\s*_{10,}\s*$")
_SIGNATURE = re.compile(r"^(-- ?|--)$")
_MOBILE_FOOTER = re.compile(
    r"^\s*(Sent from my \w+|Sent from Mail for Windows|Get Outlook for \w+|Sent from Outlook"
    r"|Lähetetty \w+ ?-?(laitteesta|iPhonesta|puhelimesta)|Envoyé de mon \w+"
    r"|Von meinem \w+ gesendet"
    r"|Sent from Yahoo Mail.*)\s*\.?$",
    re.IGNORECASE,
)


def _is_outlook_header(lines: list[str], index: int) -> bool:
    """A "From:" line followed within four lines by Sent/Date/To/Subject lines."""
    if not _HEADER_FROM.match(lines[index]):
        return False
    following = lines[index + 1 : index + 5]
    return sum(1 for line in following if _HEADER_NEXT.match(line)) >= 2


def _is_forward(lines: list[str], index: int) -> bool:
    return any(_FORWARD.search(line) for line in lines[max(0, index - 2) : index])


def _quote_start(lines: list[str]) -> tuple[int, int | None] | None:
    """Where quoted history starts, and for "> "-quoting the line after the attribution
    (inline answers may follow it); None for the second when everything below is history."""
    for i, line in enumerate(lines):
        if _FORWARD.search(line):
            return None  # a forward: everything below is the content
        joined = f"{line} {lines[i + 1]}" if i + 1 < len(lines) else line
        if line.strip() and (_ATTRIBUTION.match(line) or _ATTRIBUTION.match(joined)):
            rest = [x for x in lines[i + 1 : i + 4] if x.strip()]
            wrapped = not _ATTRIBUTION.match(line)
            nxt = rest[1:2] if wrapped else rest[:1]
            if nxt and nxt[0].startswith(">"):
                return i, i + (2 if wrapped else 1)
        if _ORIGINAL_MESSAGE.match(line) or (
            _is_outlook_header(lines, i) and not _is_forward(lines, i)
        ):
            cut = i - 1 if i and _SEPARATOR.match(lines[i - 1]) else i
            return cut, None
    return None


def strip_signature(text: str) -> str:
    """Drop the signature after a "-- " delimiter and mobile footers."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        is_signature = _SIGNATURE.match(line.rstrip("\r")) or _MOBILE_FOOTER.match(line)
        if is_signature and "\n".join(lines[:i]).strip():
            lines = lines[:i]
            break
    return "\n".join(lines).rstrip()


def strip_reply(text: str) -> str:
    """The new part of a reply: no quoted history, no signature. Never returns less than
    something: if cutting leaves nothing, the unquoted lines (or the text itself) are kept."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    found = _quote_start(lines)
    kept = lines
    if found is not None:
        start, resume = found
        kept = lines[:start]
        if resume is not None:  # inline answers between quoted lines are the customer's words
            tail = [x for x in lines[resume:] if not x.startswith(">")]
            if "\n".join(tail).strip():
                kept = [*kept, "", *tail]
    result = strip_signature("\n".join(kept)).strip()
    if result:
        return result
    unquoted = "\n".join(x for x in lines if not x.startswith(">")).strip()
    return strip_signature(unquoted).strip() or text.strip()
