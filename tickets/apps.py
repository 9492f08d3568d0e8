"""App configuration of the tickets app."""

from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "tickets"
    verbose_name = "Tickets"

    def ready(self) -> None:
        # Cache invalidation only (no domain logic): admin edits reach every process's cache.
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from helpdesk.config_cache import invalidate, is_login_stamp

        from . import models

        watched = {
            models.SlaPolicy: ("sla",), models.BusinessHours: ("sla",), models.Holiday: ("sla",),
            models.Queue: ("sla", "field-choices", "default-queue", "queue-members"),
            models.Automation: ("automations",), models.Webhook: ("webhooks",),
            models.Macro: ("macros",), models.CannedResponse: ("canned",),
        }  # fmt: skip

        def bump(names):
            def receiver(sender, update_fields=None, **kwargs) -> None:
                if not is_login_stamp(update_fields):  # a sign-in changes no config
                    invalidate(*names)

            return receiver

        self._receivers = []  # keep references: signals hold receivers weakly
        for model, names in watched.items():
            receiver = bump(names)
            self._receivers.append(receiver)
            post_save.connect(receiver, sender=model, dispatch_uid=f"cfg-save-{model.__name__}")
            post_delete.connect(receiver, sender=model, dispatch_uid=f"cfg-del-{model.__name__}")
        # The desk's queue and assignee choices (names, roles, who is active).
        from django.contrib.auth import get_user_model

        watched_user = bump(("field-choices", "queue-members", "staff"))
        self._receivers.append(watched_user)
        for signal in (post_save, post_delete):
            signal.connect(watched_user, sender=get_user_model(), dispatch_uid=f"cfg-user-{signal}")
        members = bump(("queue-members",))
        self._receivers.append(members)
        membership = models.Queue.members.through
        m2m_changed.connect(members, sender=membership, dispatch_uid="cfg-members")
        for through in (models.SlaPolicy.queues.through, models.SlaPolicy.organisations.through):
            receiver = bump(("sla",))
            self._receivers.append(receiver)
            m2m_changed.connect(receiver, sender=through, dispatch_uid=f"cfg-m2m-{through}")
