"""App configuration of the chatbot app."""

from django.apps import AppConfig


class ChatbotConfig(AppConfig):
    name = "chatbot"
    verbose_name = "Chatbot"

    def ready(self) -> None:
        from customers.signals import contact_erasing, contact_exporting
        from tickets.panels import register_panel

        from . import privacy
        from .authoring import connect_versioning
        from .desk import conversation_panel_context

        connect_versioning()
        contact_exporting.connect(privacy.export_section, dispatch_uid="chatbot-export")
        contact_erasing.connect(privacy.erase_section, dispatch_uid="chatbot-erase")
        register_panel(
            "chat", "chatbot/desk/_conversation_panel.html", conversation_panel_context, order=10
        )
