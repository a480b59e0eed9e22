import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _start(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "FIELD_ENCRYPTION_KEYS", "NIK_HASH_KEY"}
    }
    env.update({"TPPO_ENV_FILE": "/nonexistent/.env", "DJANGO_SETTINGS_MODULE": "tppo.settings"})
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = _start({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_encryption_keys():
    result = _start({"SECRET_KEY": "x" * 50})
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_production_defaults_are_closed():
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, s.ALLOWED_HOSTS)",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k != "DEBUG"},
            "TPPO_ENV_FILE": "/nonexistent/.env",
            "SECRET_KEY": "x" * 50,
            "FIELD_ENCRYPTION_KEYS": "a" * 43 + "=",
            "NIK_HASH_KEY": "k",
            "DJANGO_SETTINGS_MODULE": "tppo.settings",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "[]"]


def test_compose_file_is_valid_and_dependencies_exist():
    import yaml

    compose = ROOT / "docker-compose.yml"
    result = subprocess.run(
        [
            str(Path(sys.executable).parent / "check-jsonschema"),
            "--builtin-schema",
            "vendor.compose-spec",
            str(compose),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load(compose.read_text())
    services = data["services"]
    assert {"db", "redis", "web", "worker", "beat"} <= set(services)
    for name, service in services.items():
        for dep in service.get("depends_on", {}):
            assert dep in services, f"{name} depends on undefined {dep}"
    assert "healthcheck" in services["db"]
    assert services["db"]["image"].startswith("postgres:16")


def test_beat_keeps_its_schedule_in_a_volume():
    """Not in /tmp: a recreated beat container must not forget what it already ran."""
    import yaml

    data = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    beat = data["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    mounts = {m.split(":")[1]: m.split(":")[0] for m in beat["volumes"]}
    assert any(schedule.startswith(path + "/") for path in mounts), schedule
    assert all(name in data["volumes"] for name in mounts.values())
    assert "install -d -o tppo /var/lib/tppo-beat" in (ROOT / "Dockerfile").read_text()


def _production_environment() -> dict:
    """What an operator's .env holds in production (see .env.example), with fresh secrets."""
    import base64
    import secrets

    # Not the test process's own switches (the browser tests set DJANGO_ALLOW_ASYNC_UNSAFE,
    # which the checklist rightly flags).
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}}
    env.update(
        {
            "TPPO_ENV_FILE": "/nonexistent/.env",
            "DJANGO_SETTINGS_MODULE": "tppo.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            "NIK_HASH_KEY": secrets.token_urlsafe(32),
            "ALLOWED_HOSTS": "tppo.kalselprov.go.id",
            "CSRF_TRUSTED_ORIGINS": "https://tppo.kalselprov.go.id",
            "DATABASE_URL": "postgres://tppo:change-me@db:5432/tppo",
            "CELERY_BROKER_URL": "redis://redis:6379/0",
            "CACHE_URL": "redis://redis:6379/1",
            "OTP_REQUIRED_ROLES": "PROVINCE,ADMIN",
        }
    )
    return env


def test_the_deployment_checklist_finds_nothing_in_production():
    """`manage.py check --deploy` (Django's security checklist, plus every app's checks,
    the schema generator's included) with warnings counted as failures."""
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_production_cookies_and_permissions_policy():
    """The language cookie is as guarded as the session's (Secure over HTTPS, SameSite), and
    every answer switches off camera, microphone and location."""
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s;"
            "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE,"
            " all(s.PERMISSIONS_POLICY[f] == [] for f in ('camera', 'microphone', 'geolocation')))",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env=_production_environment(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "Lax", "True"]


def test_compose_publishes_gunicorn_on_the_loopback_only():
    """Django trusts X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER): only the proxy on the host
    may reach gunicorn, so the published port is bound to 127.0.0.1, never to every
    interface."""
    import yaml

    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    for name, service in services.items():
        for port in service.get("ports", []):
            spec = port if isinstance(port, str) else f"{port.get('host_ip', '')}:{port}"
            assert spec.startswith("127.0.0.1:"), f"{name} publishes {port} on every interface"
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]
