"""Rule-based chatbot engine: pure Python, no Django; the Django layer stores its JSON state."""

from chatbot.engine.bot import Bot, Context
from chatbot.engine.flow import ArticleRef, Flow, Option, SlotCheck, SlotKind, Step, StepKind
from chatbot.engine.matcher import AMBIGUOUS_MARGIN, Intent, Match, detect_handoff, match
from chatbot.engine.runner import respond, start
from chatbot.engine.schema import SchemaError, dump_bot, load_bot
from chatbot.engine.turn import BotMessage, QuickReply, Reply, Status, new_state
from chatbot.engine.validate import Issue, Severity, validate

__all__ = [
    "AMBIGUOUS_MARGIN",
    "ArticleRef",
    "Bot",
    "BotMessage",
    "Context",
    "Flow",
    "Intent",
    "Issue",
    "Match",
    "Option",
    "QuickReply",
    "Reply",
    "SchemaError",
    "Severity",
    "SlotCheck",
    "SlotKind",
    "Status",
    "Step",
    "StepKind",
    "detect_handoff",
    "dump_bot",
    "load_bot",
    "match",
    "new_state",
    "respond",
    "start",
    "validate",
]
