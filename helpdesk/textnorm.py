"""Language-aware text normalisation shared by search analysis and the chatbot matcher (pure)."""

from __future__ import annotations

import re
import unicodedata

# Arabic: harakat, superscript alef and Quranic marks carry no meaning for matching.
_ARABIC_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_ARABIC_TATWEEL = "\u0640"
_ARABIC_FOLD = str.maketrans(
    {
        "\u0623": "\u0627",  # alef with hamza above -> alef
        "\u0625": "\u0627",  # alef with hamza below -> alef
        "\u0622": "\u0627",  # alef with madda -> alef
        "\u0671": "\u0627",  # alef wasla -> alef
        "\u0649": "\u064a",  # alef maksura -> yeh
        "\u0629": "\u0647",  # teh marbuta -> heh
        "\u0624": "\u0648",  # waw with hamza -> waw
        "\u0626": "\u064a",  # yeh with hamza -> yeh
    }
)
_WHITESPACE = re.compile(r"\s+")
# A "word" is a run of letters/digits (plus inner apostrophes and hyphens are split off).
_WORD = re.compile(r"\w+", re.UNICODE)
# The ranges of is_cjk as one character class, so callers can find whole CJK runs in a single
# C-level regex scan instead of testing every character in Python.
CJK_RUN = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0002fa1f]+"
)


def base_language(code: str | None) -> str:
    """Return the primary subtag of a language code: 'zh-hans' -> 'zh', None -> ''."""
    return (code or "").replace("_", "-").split("-")[0].lower()


def is_cjk(char: str) -> bool:
    """True for Han ideographs, kana and hangul: scripts written without spaces."""
    cp = ord(char)
    return (
        0x3040 <= cp <= 0x30FF  # hiragana, katakana
        or 0x3400 <= cp <= 0x4DBF  # CJK extension A
        or 0x4E00 <= cp <= 0x9FFF  # CJK unified ideographs
        or 0xAC00 <= cp <= 0xD7AF  # hangul syllables
        or 0xF900 <= cp <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= cp <= 0x2FA1F  # extensions B..F, compatibility supplement
    )


def normalize_arabic(text: str) -> str:
    """Drop diacritics and tatweel and fold alef/yeh/teh-marbuta variants."""
    text = _ARABIC_DIACRITICS.sub("", text).replace(_ARABIC_TATWEEL, "")
    return text.translate(_ARABIC_FOLD)


def normalize(text: str, lang: str | None = None) -> str:
    """NFKC, casefold, Arabic folding (always: Arabic text turns up in any language), spaces."""
    text = unicodedata.normalize("NFKC", text or "").casefold()
    text = normalize_arabic(text)
    return _WHITESPACE.sub(" ", text).strip()


def cjk_bigrams(run: str) -> list[str]:
    """Overlapping character bigrams of a CJK run; a single character stays a unigram."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


def split_words(text: str) -> list[str]:
    """Split normalised text into words; CJK runs inside a word are split out as their own runs."""
    words: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group()
        start = 0
        for i, ch in enumerate(word):
            if is_cjk(ch) != (is_cjk(word[start]) if start < len(word) else False) and i > start:
                words.append(word[start:i])
                start = i
        words.append(word[start:])
    return [w for w in words if w and w != "_"]


def tokenize(text: str, lang: str | None = None) -> list[str]:
    """Normalised tokens: words for spaced scripts, character bigrams for CJK runs."""
    tokens: list[str] = []
    for word in split_words(normalize(text, lang)):
        if is_cjk(word[0]):
            tokens.extend(cjk_bigrams(word))
        else:
            tokens.append(word)
    return tokens
