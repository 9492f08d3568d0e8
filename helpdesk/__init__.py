"""Project package and core app: settings, URLs, Celery, users, events, markdown, health."""

from .celery import app as celery_app

__all__ = ["celery_app"]
