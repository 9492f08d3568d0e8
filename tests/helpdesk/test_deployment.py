"""docker-compose.yml runs every process the product needs, with one search writer."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_defines_every_service_with_health_checks():
    services = _compose()["services"]
    assert set(services) == {"web", "worker", "search-worker", "beat", "postgres", "redis"}
    for name in ("web", "worker", "search-worker", "postgres", "redis"):
        assert "healthcheck" in services[name], name


def test_search_queue_has_exactly_one_single_process_consumer():
    services = _compose()["services"]
    consumers = [s for s in services.values() if "-Q search" in str(s.get("command", ""))]
    assert len(consumers) == 1
    assert "-c 1" in consumers[0]["command"]


def test_app_services_share_the_production_environment():
    app_env = _compose()["x-app"]["environment"]
    assert app_env["DEBUG"] == "0"
    for key in ("SECRET_KEY", "DATABASE_URL", "REDIS_URL", "SEARCH_URL", "ALLOWED_HOSTS"):
        assert key in app_env


def test_every_setting_read_from_the_environment_is_documented_in_env_example():
    settings_src = (ROOT / "helpdesk" / "settings.py").read_text()
    documented = (ROOT / ".env.example").read_text()
    names = set(re.findall(r'env\.\w+\(\s*"([A-Z_]+)"', settings_src))
    missing = sorted(n for n in names if n not in documented)
    assert not missing, f"not in .env.example: {missing}"
