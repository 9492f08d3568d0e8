"""HTML mail to plain text: sanitised first, quotes kept as "> " lines, images never fetched."""

from __future__ import annotations

import re
from html.parser import HTMLParser

from helpdesk.markdown import sanitize_html

BLOCKS = {
    "p",
    "div",
    "br",
    "tr",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "table",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "hr",
    "blockquote",
    "figure",
    "section",
    "article",
}
_BLANKS = re.compile(r"\n{3,}")
_HEAD = re.compile(r"<head\b.*?</head\s*>", re.I | re.S)


class _TextWriter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = [""]
        self.quote_depth = 0
        self.href_stack: list[str | None] = []
        self.space_pending = False  # whitespace seen between inline elements

    def _newline(self) -> None:
        self.space_pending = False
        if self.lines[-1].strip(" >"):
            self.lines.append("")

    def _write(self, text: str) -> None:
        if not self.lines[-1]:
            self.lines[-1] = "> " * self.quote_depth
        self.lines[-1] += text

    def handle_starttag(self, tag: str, attrs: list) -> None:
        values = dict(attrs)
        if tag in BLOCKS:
            self._newline()
        if tag == "blockquote":
            self.quote_depth += 1
        elif tag == "li":
            self._write("- ")
        elif tag == "a":
            self.href_stack.append(values.get("href"))
        elif tag == "img":
            # Remote images are never fetched: the reader sees what the image was.
            alt = (values.get("alt") or "").strip()
            line = self.lines[-1]
            space = " " if line.strip(" >") and not line.endswith(" ") else ""
            self._write(space + (f"[image: {alt}]" if alt else "[image]"))

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._newline()
            self.quote_depth = max(0, self.quote_depth - 1)
        elif tag == "a" and self.href_stack:
            href = self.href_stack.pop()
            if href and href.startswith(("http://", "https://")) and href not in self.lines[-1]:
                self._write(f" <{href}>")
        if tag in BLOCKS:
            self._newline()

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        needs_space = self.space_pending or data[:1].isspace()
        if not text:
            self.space_pending = needs_space
            return
        line = self.lines[-1]
        if needs_space and line.strip(" >") and not line.endswith(" "):
            text = " " + text
        self._write(text)
        self.space_pending = data[-1:].isspace()

    def text(self) -> str:
        lines = [line.rstrip() for line in self.lines]
        return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


def html_to_text(untrusted_html: str) -> str:
    """Readable plain text of an HTML mail body (scripts and styles dropped by the sanitiser)."""
    writer = _TextWriter()
    writer.feed(sanitize_html(_HEAD.sub("", untrusted_html or "")))
    writer.close()
    return writer.text()
