"""App configuration of the email channel (inbound mail to tickets and replies)."""

from django.apps import AppConfig


class MailConfig(AppConfig):
    name = "mail"
    verbose_name = "Email channel"

    def ready(self) -> None:
        from customers.signals import contact_erasing, contact_exporting

        from . import panels, privacy, timeline

        contact_exporting.connect(privacy.export_section, dispatch_uid="mail-export")
        contact_erasing.connect(privacy.erase_section, dispatch_uid="mail-erase")
        panels.register()
        timeline.register()
