"""App configuration of the kb app."""

from django.apps import AppConfig


class KbConfig(AppConfig):
    name = "kb"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from helpdesk.events import register_flush_hook

        from . import services

        # Batched page views become counters on the article/FAQ rows (one UPDATE per row).
        register_flush_hook("kb.article_viewed", services.apply_view_counts)
        register_flush_hook("kb.faq_opened", services.apply_faq_counts)
