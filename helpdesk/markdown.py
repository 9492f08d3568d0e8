"""Markdown to safe HTML: render once, sanitise with an allow-list, collect a table of contents."""

from __future__ import annotations

import html
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from django.utils.html import linebreaks, urlize
from markdown.extensions.toc import TocExtension, slugify_unicode

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "u", "s",
    "del", "ins", "mark", "small", "sub", "sup", "kbd", "abbr", "code", "pre", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table", "thead", "tbody", "tfoot", "tr",
    "th", "td", "caption", "details", "summary", "span", "div", "figure", "figcaption",
}  # fmt: skip
_HEADINGS = {f"h{n}": {"id"} for n in range(1, 7)}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "class"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start"},
    "th": {"align", "scope"},
    "td": {"align"},
    "code": {"class"},
    "div": {"class"},
    **_HEADINGS,
}
# Only these schemes survive; relative URLs (/path, #anchor) are kept. Everything else,
# javascript:, data:, vbscript: in any spelling, is dropped by nh3's URL parser.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_SAFE_CLASS = re.compile(r"^(language-[\w+-]{1,30}|heading-anchor|footnote[\w-]*|codehilite)$")
_URL_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
_INTERNAL_LINK = re.compile(r'href="(article|faq):([\w-]{1,120})"')
HEADING_PREFIX = "h-"
TOC_MIN_HEADINGS = 3


@dataclass(frozen=True)
class RenderedMarkdown:
    html: str
    toc: list[dict] = field(default_factory=list)

    @property
    def has_toc(self) -> bool:
        return len(self.toc) >= TOC_MIN_HEADINGS


def _slugify(value: str, separator: str) -> str:
    # Prefixed so that heading ids can never clobber DOM globals or our own element ids.
    return HEADING_PREFIX + (slugify_unicode(value, separator) or "section")


def _is_safe_url(value: str) -> bool:
    # Browsers drop tabs, newlines and control characters inside URLs, so "java\tscript:" runs
    # as javascript:. Judge the URL the way a browser will read it.
    squashed = _URL_IGNORED.sub("", html.unescape(value)).lower()
    scheme, colon, _rest = squashed.partition(":")
    if not colon or any(c in scheme for c in "/?#"):
        return True  # relative URL
    return scheme in URL_SCHEMES


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute in {"href", "src"} and not _is_safe_url(value):
        return None
    if attribute == "class":
        kept = [c for c in value.split() if _SAFE_CLASS.match(c)]
        return " ".join(kept) or None
    if attribute == "id" and not value.startswith(HEADING_PREFIX):
        return None
    return value


def sanitize_html(untrusted: str) -> str:
    """Clean untrusted HTML with the allow-list (used for Markdown output and inbound email)."""
    return nh3.clean(
        untrusted,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _flatten_toc(tokens: list[dict], out: list[dict]) -> list[dict]:
    for token in tokens:
        out.append({"id": token["id"], "name": token["name"], "level": token["level"]})
        _flatten_toc(token.get("children", []), out)
    return out


_local = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown converter per thread, reset between uses: building one (loading its
    extensions) costs more than converting a short message."""
    md = getattr(_local, "md", None)
    if md is None:
        md = _local.md = markdown.Markdown(
            extensions=[
                "tables",
                "fenced_code",
                "sane_lists",
                "footnotes",
                TocExtension(
                    slugify=_slugify,
                    permalink="#",
                    permalink_class="heading-anchor",
                    permalink_title="Link to this section",
                    toc_depth="2-4",
                ),
            ],
            output_format="html",
        )
    md.reset()
    return md


def render_markdown(
    text: str, *, resolve_link: Callable[[str, str], str | None] | None = None
) -> RenderedMarkdown:
    """Render Markdown (tables, fenced code, heading anchors) to sanitised HTML and a TOC.

    `resolve_link(kind, slug)` turns `article:slug` / `faq:slug` links into URLs; links it
    cannot resolve lose their href (the sanitiser would drop the unknown scheme anyway).
    """
    md = _converter()
    rendered = md.convert(text or "")
    if resolve_link is not None:
        rendered = _INTERNAL_LINK.sub(lambda m: _resolved_href(m, resolve_link), rendered)
    toc = [t for t in _flatten_toc(getattr(md, "toc_tokens", []), []) if 2 <= t["level"] <= 4]
    for item in toc:
        item["name"] = nh3.clean(item["name"], tags=set())
    return RenderedMarkdown(html=sanitize_html(rendered), toc=toc)


def render_plain_text(text: str) -> str:
    """Safe HTML of plain text (mail): escaped, links clickable, paragraphs kept. Not Markdown:
    HTML or image syntax a sender typed shows as the text it is."""
    return sanitize_html(linebreaks(urlize(text, nofollow=True, autoescape=True)))


def _resolved_href(match: re.Match, resolve_link: Callable[[str, str], str | None]) -> str:
    url = resolve_link(match.group(1), match.group(2))
    return f'href="{url}"' if url else 'href="#"'


def strip_tags(fragment: str) -> str:
    """Plain text of HTML (for summaries, search and emails); entities stay escaped."""
    return nh3.clean(fragment or "", tags=set())


_HEADING_ANCHOR = re.compile(r'<a class="heading-anchor"[^>]*>.*?</a>', re.S)
_BLOCK_END = re.compile(r"</(p|h[1-6]|li|td|th|pre|blockquote|dd|dt)>", re.I)


def plain_text(fragment: str) -> str:
    """Readable text of rendered HTML for the index and snippets: no anchors, tags or entities."""
    text = _BLOCK_END.sub(lambda m: m.group(0) + " ", _HEADING_ANCHOR.sub("", fragment or ""))
    return " ".join(html.unescape(strip_tags(text)).split())
