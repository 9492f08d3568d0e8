"""Snippets mark the matched words in the reader's language and escape everything else."""

from kb.snippets import snippet


def test_stemmed_matches_are_marked_and_html_is_escaped():
    body = "Returns are free. <b>Return</b> the parcel within 30 days & keep the receipt."
    marked = snippet(body, "return", "en")
    assert marked.count('<mark class="match">') == 2
    assert '<mark class="match">Returns</mark>' in marked and "&lt;b&gt;" in marked
    assert "<b>" not in marked and "&amp;" in marked


def test_at_most_two_fragments_the_richest_first_and_no_cut_words():
    filler = "lorem ipsum dolor sit amet " * 3
    body = f"Kettle first. {filler}kettle again. {filler}kettle and courier. {filler}end."
    marked = snippet(body, "kettle courier", "en", max_chars=120)
    plain = marked.replace('<mark class="match">', "").replace("</mark>", "")
    fragments = [f.strip(" …") for f in plain.split(" … ")]
    assert len(fragments) == 2 and "courier" in fragments[-1]  # two distinct words win
    words = set(body.replace(".", " ").split())
    for fragment in fragments:
        assert set(fragment.replace(".", " ").split()) <= words  # whole words only


def test_chinese_bigrams_and_arabic_variants_are_marked():
    assert '<mark class="match">呼叫</mark>' in snippet(
        "中国呼叫中心市场的报告", "呼叫中心", "zh-hans"
    )
    marked = snippet("سياسة الإرجاع خلال ثلاثين يوما", "ارجاع", "ar")
    assert "<mark" in marked and "الإرجاع" in marked


def test_no_match_gives_the_escaped_opening():
    assert (
        snippet("Plain <i>text</i> only.", "kettle", "en") == "Plain &lt;i&gt;text&lt;/i&gt; only."
    )
