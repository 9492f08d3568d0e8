"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from helpdesk.settings import _haystack_connection

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # the browser tests set it
    clean = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_is_clean_when_production_values_are_set():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.com",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_startup_refuses_the_development_key_when_debug_is_off():
    result = _manage("check", DEBUG="0", ALLOWED_HOSTS="example.com")
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("url", "engine", "key", "value"),
    [
        ("whoosh:///srv/index", "search_backend.HelpdeskWhooshEngine", "PATH", "/srv/index"),
        (
            "elasticsearch://es:9200/kb",
            "search_es.HelpdeskElasticsearchEngine",
            "INDEX_NAME",
            "kb",
        ),
        ("solr://solr:8983/solr/kb", "solr_backend.SolrEngine", "URL", "http://solr:8983/solr/kb"),
    ],
)
def test_search_url_selects_the_backend(url, engine, key, value):
    conn = _haystack_connection(url)
    assert conn["ENGINE"].endswith(engine)
    assert conn[key] == value


def test_unknown_search_scheme_is_a_clear_error():
    with pytest.raises(ImproperlyConfigured, match="not supported"):
        _haystack_connection("ftp://nope")
