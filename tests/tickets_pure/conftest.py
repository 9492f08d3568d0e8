"""Shadows the project's Django autouse fixtures: these pure tests run with `-p no:django`."""

import pytest


@pytest.fixture(scope="session", autouse=True)
def _isolated_storage() -> None:
    """No search index or media here; the parent fixture would need configured settings."""


@pytest.fixture(autouse=True)
def _eager_celery_and_clean_cache() -> None:
    """No Celery or cache here; the parent fixture imports Django apps."""
