"""The image's build context (Dockerfile `COPY . .`) holds the product and nothing else:
no secrets (.env), no virtualenv, no local database or backup (var/), no git history."""

import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def rules() -> list[tuple[bool, str]]:
    """(include?, pattern) in file order; the last matching rule decides, as Docker does."""
    out = []
    for line in (ROOT / ".dockerignore").read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append((line.startswith("!"), line.lstrip("!").rstrip("/")))
    return out


def _matches(pattern: str, path: str) -> bool:
    # A pattern matches the path itself or any folder above it (a folder takes its contents).
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    if pattern.startswith("**/"):
        tail = pattern[3:]
        return any(fnmatch.fnmatchcase(p, tail) for p in parts)
    return any(fnmatch.fnmatchcase(c, pattern) for c in candidates)


def in_context(path: str) -> bool:
    included = True
    for include, pattern in rules():
        if _matches(pattern, path):
            included = include
    return included


def test_secrets_and_local_state_stay_out_of_the_image():
    for path in (
        ".env",
        ".env.example.local",
        ".venv/bin/python",
        "var/tppo.sqlite3",
        "var/backup/tppo-2026-11-30.dump",
        ".git/config",
        "mutants/agencies/scoping.py",
        "tests/conftest.py",
        "core/__pycache__/crypto.cpython-311.pyc",
    ):
        assert not in_context(path), path


def test_the_product_is_in_the_image():
    for path in (
        "pyproject.toml",
        "manage.py",
        "tppo/settings.py",
        "core/crypto.py",
        "agencies/scoping.py",
        "audit/models.py",
        "victims/models.py",
        "cases/services.py",
        "reports/figures.py",
        "demo/cases.py",
        "templates/base.html",
        "static/css/app.css",
        "locale/en/LC_MESSAGES/django.po",
    ):
        assert in_context(path), path


def test_every_package_the_image_installs_is_in_the_context():
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    for pattern in config["tool"]["setuptools"]["packages"]["find"]["include"]:
        package = pattern.rstrip("*")
        assert (ROOT / package).is_dir(), package
        assert in_context(f"{package}/__init__.py"), package
