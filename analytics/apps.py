"""App configuration of the analytics app."""

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = "Analytics"

    def ready(self) -> None:
        # Cache invalidation only: who is granted analytics (see permissions.py).
        from django.contrib.auth import get_user_model
        from django.contrib.auth.models import Group
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from helpdesk.config_cache import invalidate, is_login_stamp

        from .permissions import VIEWERS_CONFIG

        def viewers_changed(update_fields=None, **kwargs) -> None:
            if not is_login_stamp(update_fields):
                invalidate(VIEWERS_CONFIG)

        self._receiver = viewers_changed  # signals hold receivers weakly
        user = get_user_model()
        for model in (user, Group):
            for signal in (post_save, post_delete):
                signal.connect(
                    viewers_changed, sender=model, dispatch_uid=f"viewers-{model}-{signal}"
                )
        for through in (
            user.user_permissions.through,
            user.groups.through,
            Group.permissions.through,
        ):
            m2m_changed.connect(viewers_changed, sender=through, dispatch_uid=f"viewers-{through}")
