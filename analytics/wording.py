"""Search wording: a normalised key per query and grouping of similar keys (pure, no Django)."""

from __future__ import annotations

from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from helpdesk.textnorm import normalize, split_words

MAX_KEY = 200
SIMILAR_AT = 90  # rapidfuzz token-sort ratio (0-100) from which two wordings are one group


def wording_key(query: str, language: str = "") -> str:
    """Same words in any order, case, width or Arabic letter variant give the same key."""
    words = sorted(set(split_words(normalize(query, language))))
    return " ".join(words)[:MAX_KEY]


@dataclass
class Group:
    """Similar wordings counted together; `label` is the most searched of them."""

    label: str
    keys: list[str] = field(default_factory=list)
    searches: int = 0
    zero_results: int = 0
    no_clicks: int = 0


def group_similar(rows: list[tuple[str, str, int, int, int]]) -> list[Group]:
    """Greedy clustering of (key, sample, searches, zero, no_clicks) rows, most searched first.

    Each row joins the first existing group whose leading key is at least SIMILAR_AT similar,
    else starts a group; deterministic for a given input order.
    """
    groups: list[Group] = []
    leaders: list[str] = []
    for key, sample, searches, zero, no_clicks in sorted(rows, key=lambda r: (-r[2], r[0])):
        match = (
            process.extractOne(key, leaders, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR_AT)
            if leaders
            else None
        )
        if match is None:
            groups.append(Group(label=sample or key))
            leaders.append(key)
            group = groups[-1]
        else:
            group = groups[match[2]]
        group.keys.append(key)
        group.searches += searches
        group.zero_results += zero
        group.no_clicks += no_clicks
    return groups
