"""Settings come from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys

import pytest

READ_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "engine": settings.DATABASES["default"]["ENGINE"],
    "db_name": str(settings.DATABASES["default"]["NAME"]),
    "db_host": settings.DATABASES["default"].get("HOST", ""),
    "health_checks": settings.DATABASES["default"]["CONN_HEALTH_CHECKS"],
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_location": settings.CACHES["default"].get("LOCATION", ""),
    "debug": settings.DEBUG,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "csrf_origins": settings.CSRF_TRUSTED_ORIGINS,
    "email": settings.EMAIL_BACKEND,
    "email_port": settings.EMAIL_PORT,
    "ssl_redirect": settings.SECURE_SSL_REDIRECT,
    "session_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_secure": settings.CSRF_COOKIE_SECURE,
    "hsts": settings.SECURE_HSTS_SECONDS,
    "media_root": str(settings.MEDIA_ROOT),
    "shared_cache": settings.SHARED_CACHE,
    "page_cache_seconds": settings.PAGE_CACHE_SECONDS,
}))
"""

CONFIG_NAMES = [
    "DATABASE_URL", "REDIS_URL", "DEBUG", "TESTING", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "EMAIL_BACKEND", "EMAIL_PORT", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS", "MEDIA_ROOT", "PAGE_CACHE_SECONDS",
]  # fmt: skip


def settings_with(**env):
    clean = {k: v for k, v in os.environ.items() if k not in CONFIG_NAMES}
    result = subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        env={**clean, "DJANGO_SETTINGS_MODULE": "newsroom.settings", **env},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        return result.stderr
    return json.loads(result.stdout)


def test_a_bare_environment_gives_sqlite_local_cache_console_email_and_https_on():
    settings = settings_with()

    assert settings["engine"] == "django.db.backends.sqlite3"
    assert settings["db_name"].endswith("db.sqlite3")
    assert settings["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert settings["email"] == "django.core.mail.backends.console.EmailBackend"
    assert settings["debug"] is False
    assert (settings["ssl_redirect"], settings["session_secure"], settings["csrf_secure"]) == (
        True,
        True,
        True,
    )
    assert settings["hsts"] == 31536000
    # Several workers with a cache each would serve each other's stale pages: nothing cached.
    assert (settings["shared_cache"], settings["page_cache_seconds"]) == (False, 0)


def test_database_and_redis_urls_select_postgresql_and_the_redis_cache():
    settings = settings_with(
        DATABASE_URL="postgres://news:secret@db.internal:5432/newsroom",
        REDIS_URL="redis://cache.internal:6379/1",
    )

    assert settings["engine"] == "django.db.backends.postgresql"
    assert (settings["db_name"], settings["db_host"]) == ("newsroom", "db.internal")
    assert settings["health_checks"] is True
    assert settings["cache"] == "core.redis_cache.ReusedClientRedisCache"
    assert settings["cache_location"] == "redis://cache.internal:6379/1"
    assert (settings["shared_cache"], settings["page_cache_seconds"]) == (True, 60)


def test_hosts_origins_email_and_media_come_from_the_environment():
    settings = settings_with(
        ALLOWED_HOSTS="news.example.org, www.example.org",
        CSRF_TRUSTED_ORIGINS="https://news.example.org",
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_PORT="2525",
        MEDIA_ROOT="/srv/media",
    )

    assert settings["allowed_hosts"] == ["news.example.org", "www.example.org"]
    assert settings["csrf_origins"] == ["https://news.example.org"]
    assert settings["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert settings["email_port"] == 2525
    assert settings["media_root"] == "/srv/media"


def test_each_https_setting_can_be_switched_off_for_plain_http_on_localhost():
    settings = settings_with(
        SECURE_SSL_REDIRECT="False",
        SESSION_COOKIE_SECURE="False",
        CSRF_COOKIE_SECURE="False",
        SECURE_HSTS_SECONDS="0",
    )

    assert (settings["ssl_redirect"], settings["session_secure"], settings["csrf_secure"]) == (
        False,
        False,
        False,
    )
    assert settings["hsts"] == 0


@pytest.mark.parametrize("name,value", [("DEBUG", "yes"), ("EMAIL_PORT", "twenty-five")])
def test_a_malformed_value_stops_start_up_with_a_clear_message(name, value):
    error = settings_with(**{name: value})

    assert f"ImproperlyConfigured: {name} must be" in error
