"""The embeddable chat widget stays small: everything loaded before the customer opens it.

The widget is one file, `static/chatbot/widget.js`: styles, strings and the panel are all in it
(nothing is lazy-loaded), so the whole file is the eager part and is what we measure.
"""

from __future__ import annotations

import gzip
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "static" / "chatbot"
EAGER = [STATIC / "widget.js"]
BUDGET = 15_000  # bytes, gzipped at level 9 (what a static server sends, give or take)


def test_eager_widget_code_is_at_most_15_kb_gzipped():
    raw = b"".join(path.read_bytes() for path in EAGER)
    size = len(gzip.compress(raw, compresslevel=9))
    assert size <= BUDGET, f"widget loads {size} bytes gzipped before opening (budget {BUDGET})"


def test_widget_needs_no_eval_or_inline_handlers():
    source = (STATIC / "widget.js").read_text(encoding="utf-8")
    for forbidden in ["eval(", "new Function", "innerHTML", "document.write", 'setAttribute("on']:
        assert forbidden not in source, forbidden
