"""App configuration of the core app."""

from django.apps import AppConfig


class HelpdeskConfig(AppConfig):
    name = "helpdesk"
    verbose_name = "Helpdesk core"

    def ready(self) -> None:
        # Cache bookkeeping only (no domain logic).
        from celery.signals import task_prerun
        from django.contrib.auth import get_user_model
        from django.core.signals import request_started
        from django.db.models.signals import post_delete, post_save
        from rest_framework.authtoken.models import Token

        from .api_auth import forget_tokens
        from .config_cache import forget_versions

        # Each request or task reads the versions of the cached configs afresh.
        request_started.connect(forget_versions, dispatch_uid="cfg-request")
        task_prerun.connect(forget_versions, dispatch_uid="cfg-task", weak=False)
        # A token deleted or replaced, or any change to a user (deactivated, role, password):
        # every process forgets the API tokens it had checked.
        for model in (Token, get_user_model()):
            for signal in (post_save, post_delete):
                signal.connect(forget_tokens, sender=model, dispatch_uid=f"tokens-{model}-{signal}")
