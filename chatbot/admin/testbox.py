"""The admin test box: talk to a bot turn by turn and see what the engine decided each time.

The conversation so far travels in a signed hidden field (never stored), so an admin can walk a
whole flow — slots, options, "did this solve it?" — against the bot's saved rows.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from chatbot.authoring import check_bot
from chatbot.bots import context_for, pick_language, search_articles
from chatbot.engine import Bot as EngineBot
from chatbot.engine import Context, Reply, respond, start
from chatbot.models import Bot, Conversation, Widget

SALT = "chatbot.admin.testbox"
MAX_LINES = 60


class TestBoxForm(forms.Form):
    text = forms.CharField(label=_("Visitor says"), max_length=500)
    language = forms.CharField(label=_("Language"), max_length=16, required=False)
    session = forms.CharField(widget=forms.HiddenInput, required=False)


def _session(raw: str) -> dict[str, Any]:
    try:
        found = signing.loads(raw, salt=SALT) if raw else {}
    except signing.BadSignature:
        found = {}
    return found if isinstance(found, dict) else {}


def _lines(reply: Reply) -> list[dict[str, Any]]:
    return [
        {
            "who": "bot",
            "text": m.text,
            "quick": [q.label for q in m.quick_replies],
            "articles": [a.title for a in m.articles],
        }
        for m in reply.messages
    ]


def _turn(loaded: EngineBot, ctx: Context, lang: str, text: str, session: dict) -> tuple:
    """One visitor turn on top of the session (a fresh conversation when there is none)."""
    lines = list(session.get("lines") or [])
    state = session.get("state")
    if session.get("lang") != lang or not isinstance(state, dict):
        opening = start(loaded, lang, ctx)
        state, lines = opening.state, _lines(opening)
    reply = respond(loaded, state, text, lang, ctx)
    lines += [{"who": "visitor", "text": text}, *_lines(reply)]
    return reply, {"state": reply.state, "lang": lang, "lines": lines[-MAX_LINES:]}


def test_box_response(
    request, model_admin: Any, *, bot: Bot | None, widget: Widget | None = None
) -> TemplateResponse:
    """Run the message through the bot's *saved rows* (not the cache); widgets add their hours."""
    form = TestBoxForm(request.POST or None)
    reply, problems, lines = None, [], []
    if form.is_valid():
        loaded, problems, _warnings = check_bot(bot)
        if loaded is not None:
            default = widget.default_language if widget else loaded.default_language
            lang = pick_language(loaded, form.cleaned_data["language"], default)
            if widget is not None:
                ctx = context_for(Conversation(widget=widget, language=lang))
            else:
                ctx = Context(search=search_articles)
            session = _session(form.cleaned_data["session"])
            reply, session = _turn(loaded, ctx, lang, form.cleaned_data["text"], session)
            lines = session["lines"]
            token = signing.dumps(session, salt=SALT, compress=True)
            form = TestBoxForm(initial={"language": lang, "session": token})
    context = {
        **model_admin.admin_site.each_context(request), "opts": model_admin.opts,
        "subject": widget or bot, "form": form, "reply": reply, "problems": problems,
        "lines": lines, "title": _("Test box"),
    }  # fmt: skip
    return TemplateResponse(request, "admin/chatbot/widget/test_box.html", context)
