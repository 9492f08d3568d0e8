"""Every field of the bot schema survives YAML → rows → YAML, not just what the demo uses."""

from __future__ import annotations

import pytest
import yaml

from chatbot.authoring import canonical, export_bot, import_bot
from chatbot.models import Bot, StepOption, Synonym

EVERYTHING = """
name: Kitchen sink
default_language: fi
languages: [fi, en]
start_flow: hello
handoff_flow: person
handoff_queue: billing
menu: [size, person]
texts:
  fallback: {en: "Say again?", fi: "Sano uudestaan?"}
  greeting: {fi: "Moi!", en: "Hi!"}
synonyms:
  en: {tee: t-shirt, tshirt: t-shirt}
handoff_phrases: [manager please, esimies]
intents:
  - name: size
    label: {en: Sizes, fi: Koot}
    phrases: [size chart]
    keywords: {en: [size*, fit], fi: [koko*]}
    patterns: {'*': ['\\b(?P<size>XS|S|M|L|XL)\\b'], en: ['(?i)what size']}
    synonyms: {fi: {kokoa: koko}}
  - name: person
    flow: person
    label: {en: Person, fi: Ihminen}
    phrases: {fi: [ihminen kiitos], en: [a person]}
flows:
  hello:
    start: greet
    steps:
      - {id: unused_first, kind: message, text: {fi: Ohi, en: Skip}, next: greet}
      - id: greet
        kind: options
        text: {fi: "Mitä etsit?", en: "What are you looking for?"}
        options:
          - label: {fi: Koot, en: Sizes}
            next: "size:"
            value: sizes
            aliases: {en: [sizing], fi: [mitat]}
          - {label: {fi: Ihminen, en: Person}, next: "person:"}
  size:
    steps:
      - id: which
        kind: ask
        slot: size
        text: {fi: "Mikä koko?", en: "Which size?"}
        error: {fi: Valitse koko., en: Pick a size.}
        max_tries: 2
        validate:
          kind: choice
          choices:
            - {label: {fi: Pieni, en: Small}, value: S}
            - {label: {fi: Iso, en: Large}, value: L, aliases: [big]}
        next: name
      - id: name
        kind: ask
        slot: nick
        text: {fi: "Nimesi?", en: "Your name?"}
        validate: {kind: text, min_length: 2, transform: lower}
        next: route
      - id: route
        kind: branch
        branch_on: size
        cases: {S: small, L: docs}
        default: "person:"
      - {id: small, kind: message, text: {fi: Pieni se on., en: Small it is.}, next: docs}
      - id: docs
        kind: articles
        query: {fi: kokotaulukko, en: size chart}
        limit: 2
        empty_next: "person:"
        next: solved
      - {id: solved, kind: ask_resolved, yes_next: bye, no_next: "person:"}
      - {id: bye, kind: end, text: {fi: Hei hei, en: Bye}}
  person:
    steps:
      - id: hours
        kind: branch
        branch_on: hours
        cases: {open: now, closed: later}
      - {id: now, kind: handoff, queue: billing}
      - id: later
        kind: ask
        slot: email
        validate: {kind: pattern, pattern: '^\\S+@\\S+$'}
        text: {fi: "Sähköposti?", en: "Email?"}
        next: queued
      - {id: queued, kind: handoff, text: {fi: Kiitos, en: Thanks}}
"""


@pytest.fixture
def bot(db) -> Bot:
    return Bot.objects.create(slug="sink", name="sink")


def _yaml(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def test_every_field_comes_back_from_the_rows(bot):
    source = yaml.safe_load(EVERYTHING)
    assert import_bot(bot=bot, data=source) is True
    assert export_bot(bot=bot) == canonical(source)
    assert StepOption.objects.filter(step__flow__bot=bot, is_choice=True).count() == 2
    assert Synonym.objects.filter(bot=bot, intent__isnull=True).count() == 2
    assert Synonym.objects.filter(bot=bot, intent__name="size").count() == 1


def test_export_import_export_gives_the_same_text_and_a_second_import_is_a_no_op(bot):
    import_bot(bot=bot, data=yaml.safe_load(EVERYTHING))
    first = _yaml(export_bot(bot=bot))
    other = Bot.objects.create(slug="other", name="other")
    assert import_bot(bot=other, data=yaml.safe_load(first)) is True
    assert _yaml(export_bot(bot=other)) == first
    version = Bot.objects.get(pk=other.pk).version
    assert import_bot(bot=other, data=yaml.safe_load(first)) is False
    assert Bot.objects.get(pk=other.pk).version == version
