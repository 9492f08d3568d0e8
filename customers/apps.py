"""App configuration of the customers app."""

from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "customers"
    verbose_name = "Customers"

    def ready(self) -> None:
        # Cache invalidation only (no domain logic): every process rereads the domains.
        from django.db.models.signals import post_delete, post_save

        from helpdesk.config_cache import invalidate

        from .models import Organisation
        from .services.contacts import DOMAINS_CONFIG

        def domains_changed(**kwargs) -> None:
            invalidate(DOMAINS_CONFIG)

        self._receiver = domains_changed  # signals hold receivers weakly
        for signal in (post_save, post_delete):
            signal.connect(domains_changed, sender=Organisation, dispatch_uid=f"org-{signal}")
