"""Seed many published articles quickly (bulk inserts) for benchmarks and scale tests."""

from __future__ import annotations

import random

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from helpdesk.bulk import refresh_statistics
from helpdesk.markdown import render_markdown
from kb.models import (
    Article,
    ArticleRevision,
    Category,
    CategoryTranslation,
    Section,
    SectionTranslation,
    Status,
)
from kb.services import invalidate_public_pages

VOCABULARY = (
    "order delivery parcel refund return payment invoice account password courier warehouse "
    "tracking customer service shipping address card voucher discount size colour exchange "
    "damaged missing late cancel change confirm email phone receipt tax border customs"
)
WORDS = VOCABULARY.split()
BATCH = 1000
TEMPLATES = 200  # distinct bodies; rendering Markdown is the slow part, so bodies repeat
SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ne",
    "ru",
    "sa",
    "te",
    "vi",
    "do",
    "fe",
    "gu",
    "ha",
    "ji",
    "ko",
    "lu",
    "ma",
    "no",
    "pe",
    "qui",
    "ri",
    "so",
    "tu",
    "va",
    "we",
    "xo",
    "yo",
    "za",
]


def _vocabulary(rng: random.Random, size: int = 4000) -> tuple[list[str], list[float]]:
    """Words with Zipf frequencies, like real text: a few very common, most rare.

    The support words above sit at ranks 200-2,000: each appears in a few percent of
    articles, as a real search term does ("refund" is not in every article).
    """
    filler = sorted({"".join(rng.choices(SYLLABLES, k=rng.randint(2, 4))) for _ in range(size)})
    rng.shuffle(filler)
    for word in WORDS:
        filler.insert(rng.randint(200, 2000), word)
    weights = [1 / rank for rank in range(1, len(filler) + 1)]
    return filler, weights


def _body(rng: random.Random, words: int, vocabulary: tuple[list[str], list[float]]) -> str:
    paragraphs = []
    for n in range(4):
        paragraphs.append(f"## {rng.choice(WORDS).title()} {n}")
        chosen = rng.choices(vocabulary[0], weights=vocabulary[1], k=words // 4)
        paragraphs.append(" ".join(chosen) + ".")
    return "\n\n".join(paragraphs)


class Command(BaseCommand):
    help = "Create N published English articles (bulk insert) spread over 10 categories."

    def add_arguments(self, parser) -> None:
        parser.add_argument("count", type=int)
        parser.add_argument("--words", type=int, default=500)
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, count: int, words: int, seed: int, **options) -> None:
        rng = random.Random(seed)
        vocabulary = _vocabulary(rng)
        bodies = [_body(rng, words, vocabulary) for _ in range(TEMPLATES)]
        rendered = [render_markdown(b) for b in bodies]
        with transaction.atomic():
            sections = self._sections()
            start = Article.objects.count()
            for offset in range(0, count, BATCH):
                n = min(BATCH, count - offset)
                self._batch(rng, sections, start + offset, n, bodies, rendered)
        invalidate_public_pages()
        refresh_statistics(Article, ArticleRevision)
        self.stdout.write(f"{count} articles seeded; {Article.objects.count()} in total.")

    def _sections(self) -> list[Section]:
        sections = []
        for c in range(10):
            category, _ = Category.objects.get_or_create(
                slug=f"bench-{c}", defaults={"position": 100 + c}
            )
            CategoryTranslation.objects.get_or_create(
                category=category, language="en", defaults={"name": f"Bench topic {c}"}
            )
            for s in range(5):
                section, _ = Section.objects.get_or_create(category=category, slug=f"bench-{c}-{s}")
                SectionTranslation.objects.get_or_create(
                    section=section, language="en", defaults={"name": f"Bench section {c}.{s}"}
                )
                sections.append(section)
        return sections

    def _batch(self, rng, sections, first: int, n: int, bodies, rendered) -> None:
        now = timezone.now()
        articles = Article.objects.bulk_create(
            Article(
                section=rng.choice(sections),
                language="en",
                slug=f"bench-article-{first + i}",
                title=f"{rng.choice(WORDS).title()} {rng.choice(WORDS)} guide {first + i}",
                summary=" ".join(rng.choice(WORDS) for _ in range(15)),
                body=bodies[i % TEMPLATES],
                status=Status.PUBLISHED,
                published_at=now,
                position=i,
                view_count=rng.randint(0, 5000),
            )
            for i in range(n)
        )
        revisions = ArticleRevision.objects.bulk_create(
            ArticleRevision(
                article=a,
                number=1,
                title=a.title,
                summary=a.summary,
                body=a.body,
                body_html=rendered[i % TEMPLATES].html,
                toc=rendered[i % TEMPLATES].toc,
            )
            for i, a in enumerate(articles)
        )
        for article, revision in zip(articles, revisions, strict=True):
            article.live_revision = revision
        Article.objects.bulk_update(articles, ["live_revision"], batch_size=BATCH)
