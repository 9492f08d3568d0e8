"""Markdown renders to safe HTML: no script survives, no dangerous URL in any spelling."""

import pytest

from helpdesk.markdown import render_markdown, sanitize_html

XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)><circle/></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="https://evil.example"></iframe>',
    "<details open ontoggle=alert(1)>x</details>",
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](jav&#97;script:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x](java&#09;script:alert(1))",
    "[x](%20javascript:alert(1))",
    "[x](\u0001javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](vbscript:msgbox(1))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    "[x][ref]\n\n[ref]: <javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;:alert(1)">x</a>',
    '<a href="javascript&colon;alert(1)">x</a>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<object data="javascript:alert(1)"></object>',
    '<base href="javascript:alert(1)//">',
    '<div onmouseover="alert(1)">x</div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<a href='javas\ncript:alert(1)'>x</a>",
    "`<script>` in code is text",
]
DANGEROUS = ("<script", "onerror", "onload", "ontoggle", "onmouseover", "javascript:", "vbscript:",
             "data:text", "<iframe", "<svg", "<object", "<form", "<base", "style=")  # fmt: skip


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_no_script_or_dangerous_url_survives_when_rendering(vector):
    html = render_markdown(vector).html.lower()
    squashed = "".join(html.split())
    for needle in DANGEROUS:
        assert needle not in squashed, f"{needle!r} survived in {html!r}"


def test_code_is_escaped_not_executed():
    html = render_markdown("`<script>alert(1)</script>`").html
    assert "&lt;script&gt;" in html


def test_safe_markdown_keeps_tables_code_links_and_heading_anchors():
    rendered = render_markdown(
        "## Shipping\n\n| Region | Days |\n|---|---|\n| EU | 3 |\n\n"
        "```python\nprint('hi')\n```\n\n[Orders](/en/faq/) and <mailto:help@example.com>\n\n"
        "## Returns\n\n### Refunds\n"
    )
    assert '<h2 id="h-shipping">' in rendered.html
    assert "<table>" in rendered.html and "<td>EU</td>" in rendered.html
    assert '<code class="language-python">' in rendered.html
    assert 'href="/en/faq/"' in rendered.html and 'href="mailto:help@example.com"' in rendered.html
    assert [t["id"] for t in rendered.toc] == ["h-shipping", "h-returns", "h-refunds"]
    assert rendered.has_toc


def test_heading_ids_work_in_every_script():
    toc = render_markdown("## 配送时间\n\n## الشحن\n\n## Toimitus").toc
    assert [t["id"] for t in toc] == ["h-配送时间", "h-الشحن", "h-toimitus"]


def test_ids_and_classes_outside_the_allow_list_are_dropped():
    html = sanitize_html('<p id="login-form" class="evil">x</p><code class="language-js">y</code>')
    assert "login-form" not in html and "evil" not in html
    assert 'class="language-js"' in html


def test_internal_article_links_are_resolved():
    rendered = render_markdown(
        "[track](article:track-order) [gone](article:missing)",
        resolve_link=lambda kind, slug: (
            "/en/articles/1/track-order/" if slug == "track-order" else None
        ),
    )
    assert 'href="/en/articles/1/track-order/"' in rendered.html
    assert "article:missing" not in rendered.html


def test_rendering_twice_gives_the_same_result():
    # The converter is reused between calls; no state (heading ids, footnotes) may leak.
    first = render_markdown("## Same\n\nNote[^1]\n\n[^1]: one")
    second = render_markdown("## Same\n\nNote[^1]\n\n[^1]: one")
    assert first == second and first.toc[0]["id"] == "h-same"
