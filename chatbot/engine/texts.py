"""Per-language texts: language fallback, placeholder filling and the built-in system texts."""

from __future__ import annotations

import re
from collections.abc import Mapping

from helpdesk.textnorm import base_language

Texts = dict[str, str]

_PLACEHOLDER = re.compile(r"\{(\w+)\}")

# Built-in system texts; a bot definition overrides any of them per language.
SYSTEM_TEXTS: dict[str, Texts] = {
    "greeting": {
        "en": "Hi! I'm the virtual assistant. How can I help you today?",
        "fi": "Hei! Olen virtuaaliavustaja. Miten voin auttaa?",
        "ar": "مرحبًا! أنا المساعد الآلي. كيف يمكنني مساعدتك اليوم؟",
        "zh-hans": "您好！我是智能助手，请问有什么可以帮您？",
    },
    "fallback": {
        "en": "Sorry, I didn't get that. Could you say it another way?",
        "fi": "Anteeksi, en ymmärtänyt. Voisitko sanoa sen toisin?",
        "ar": "عذرًا، لم أفهم ذلك. هل يمكنك إعادة الصياغة؟",
        "zh-hans": "抱歉，我没有理解。您能换个说法吗？",
    },
    "fallback_options": {
        "en": "I'm still not sure what you need. Here is what I can help with:",
        "fi": "En ole vieläkään varma, mitä tarvitset. Voin auttaa näissä asioissa:",
        "ar": "ما زلت غير متأكد مما تحتاجه. إليك ما يمكنني المساعدة فيه:",
        "zh-hans": "我还是不太确定您的需求。我可以帮您处理以下问题：",
    },
    "did_you_mean": {
        "en": "Did you mean one of these?",
        "fi": "Tarkoititko jotakin näistä?",
        "ar": "هل تقصد أحد هذه الخيارات؟",
        "zh-hans": "您是指以下哪一项？",
    },
    "talk_to_person": {
        "en": "Talk to a person",
        "fi": "Puhu ihmisen kanssa",
        "ar": "التحدث مع موظف",
        "zh-hans": "转人工客服",
    },
    "handoff": {
        "en": "I'm connecting you with a member of our team. They will see this conversation.",
        "fi": "Yhdistän sinut asiakaspalvelijalle. Hän näkee tämän keskustelun.",
        "ar": "سأقوم بتحويلك إلى أحد أعضاء فريقنا، وسيتمكن من رؤية هذه المحادثة.",
        "zh-hans": "正在为您转接人工客服，客服人员可以看到本次对话。",
    },
    "out_of_hours": {
        "en": "Our team is offline right now, so we'll answer by email. {next_open}",
        "fi": "Asiakaspalvelumme ei ole nyt paikalla, joten vastaamme sähköpostitse. {next_open}",
        "ar": "فريقنا غير متاح حاليًا، لذلك سنرد عليك عبر البريد الإلكتروني. {next_open}",
        "zh-hans": "客服人员目前不在线，我们会通过邮件回复您。{next_open}",
    },
    "invalid": {
        "en": "Sorry, that doesn't look right. Please try again.",
        "fi": "Tämä ei näytä oikealta. Yritä uudelleen.",
        "ar": "عذرًا، يبدو أن هذا غير صحيح. يرجى المحاولة مرة أخرى.",
        "zh-hans": "抱歉，格式似乎不正确，请重试。",
    },
    "too_many_tries": {
        "en": "This doesn't seem to be working. Would you like to talk to a person?",
        "fi": "Tämä ei näytä onnistuvan. Haluatko puhua ihmisen kanssa?",
        "ar": "يبدو أن هذا لا ينجح. هل تريد التحدث مع موظف؟",
        "zh-hans": "似乎遇到了问题。需要为您转接人工客服吗？",
    },
    "choose_option": {
        "en": "Please choose one of the options.",
        "fi": "Valitse jokin vaihtoehdoista.",
        "ar": "يرجى اختيار أحد الخيارات.",
        "zh-hans": "请选择以下选项之一。",
    },
    "did_it_help": {
        "en": "Did this solve your problem?",
        "fi": "Ratkesiko ongelmasi?",
        "ar": "هل حلّ هذا مشكلتك؟",
        "zh-hans": "这解决您的问题了吗？",
    },
    "yes": {"en": "Yes", "fi": "Kyllä", "ar": "نعم", "zh-hans": "是的"},
    "no": {"en": "No", "fi": "Ei", "ar": "لا", "zh-hans": "没有"},
    "resolved": {
        "en": "Great, glad I could help!",
        "fi": "Hienoa, kiva että pystyin auttamaan!",
        "ar": "رائع، يسعدني أنني استطعت المساعدة!",
        "zh-hans": "太好了，很高兴能帮到您！",
    },
    "articles_intro": {
        "en": "These articles might help:",
        "fi": "Nämä artikkelit voivat auttaa:",
        "ar": "قد تساعدك هذه المقالات:",
        "zh-hans": "以下文章可能对您有帮助：",
    },
    "no_articles": {
        "en": "I couldn't find an article about that.",
        "fi": "En löytänyt aiheesta artikkelia.",
        "ar": "لم أجد مقالًا حول هذا الموضوع.",
        "zh-hans": "没有找到相关文章。",
    },
}


def pick(texts: Mapping[str, str] | None, lang: str, default_lang: str = "en") -> str:
    """Text in `lang`, else a same-base-language variant, else the default language, else any."""
    if not texts:
        return ""
    if texts.get(lang):
        return texts[lang]
    base = base_language(lang)
    for code, text in texts.items():
        if text and base_language(code) == base:
            return text
    if texts.get(default_lang):
        return texts[default_lang]
    return next((text for text in texts.values() if text), "")


def has_language(texts: Mapping[str, str] | None, lang: str) -> bool:
    """True when `texts` holds a non-empty text for `lang` (exact code or same base language)."""
    base = base_language(lang)
    return any(text and base_language(code) == base for code, text in (texts or {}).items())


def fill(template: str, values: Mapping[str, object]) -> str:
    """Replace `{name}` placeholders from `values`; unknown placeholders become empty."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), "")), template).strip()


def system_text(
    overrides: Mapping[str, Mapping[str, str]], key: str, lang: str, default_lang: str
) -> str:
    """A system text: the bot's override in `lang` first, then the built-in text."""
    own = overrides.get(key)
    if own and has_language(own, lang):
        return pick(own, lang, default_lang)
    builtin = SYSTEM_TEXTS.get(key, {})
    if has_language(builtin, lang):
        return pick(builtin, lang, default_lang)
    return pick(own, lang, default_lang) or pick(builtin, lang, default_lang)
