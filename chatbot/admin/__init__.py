"""Admin: widgets, bots edited as rows with inlines (plus a test box), and transcripts."""

from .bots import BotAdmin, FlowAdmin, FlowStepAdmin, IntentAdmin
from .conversations import ConversationAdmin
from .widgets import WidgetAdmin, WidgetForm

__all__ = [
    "BotAdmin", "ConversationAdmin", "FlowAdmin", "FlowStepAdmin", "IntentAdmin", "WidgetAdmin",
    "WidgetForm",
]  # fmt: skip
