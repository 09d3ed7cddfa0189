"""Production settings: `check --deploy` is clean, secrets are required, headers are strict, `newkey` works."""

from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.test import Client

from conftest import Personas, verified_client

BASE_DIR = Path(settings.BASE_DIR)


def production_env(tmp_path: Path, **overrides: str | None) -> dict[str, str]:
    """Only what production needs: no DJANGO_SETTINGS_MODULE, no test settings, nothing from this process."""
    env: dict[str, str | None] = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "CASEVIEW_SECRET_KEY": secrets.token_urlsafe(60),
        "CASEVIEW_ALLOWED_HOSTS": "caseview.example.org",
        "CASEVIEW_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "CASEVIEW_DATA_DIR": str(tmp_path),
        **overrides,
    }
    return {name: value for name, value in env.items() if value is not None}


def caseview(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "caseview.cli", *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_passes_check_deploy_with_production_settings(tmp_path: Path) -> None:
    result = caseview("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_it_fails_check_deploy_with_a_weak_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path, CASEVIEW_SECRET_KEY="short")

    result = caseview("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_it_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    env = production_env(tmp_path, CASEVIEW_SECRET_KEY=None)

    result = caseview("check", "--deploy", "--fail-level", "WARNING", env=env)

    assert result.returncode != 0
    assert "CASEVIEW_SECRET_KEY" in result.stderr


def test_it_refuses_to_start_without_encryption_keys(tmp_path: Path) -> None:
    result = caseview("check", env=production_env(tmp_path, CASEVIEW_ENCRYPTION_KEYS=None))

    assert result.returncode != 0
    assert "CASEVIEW_ENCRYPTION_KEYS" in result.stderr
    assert "caseview newkey" in result.stderr


def test_it_is_secure_by_default_in_production(tmp_path: Path) -> None:
    script = (
        "import json, caseview.settings as s; print(json.dumps({name: getattr(s, name) for name in ["
        "'DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', "
        "'REQUIRE_2FA', 'SESSION_COOKIE_AGE', 'ALLOWED_HOSTS', 'PASSWORD_HASHERS']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=production_env(tmp_path),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_HSTS_SECONDS"] > 0
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["REQUIRE_2FA"] is True
    assert values["SESSION_COOKIE_AGE"] == 30 * 60
    assert values["ALLOWED_HOSTS"] == ["caseview.example.org"]
    assert values["PASSWORD_HASHERS"][0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_it_takes_the_idle_minutes_from_the_environment(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import caseview.settings as s; print(s.SESSION_COOKIE_AGE)"],
        env=production_env(tmp_path, CASEVIEW_SESSION_IDLE_MINUTES="15"),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.stdout.strip() == "900", result.stderr


def test_it_makes_a_fernet_key_with_no_settings_at_all(tmp_path: Path) -> None:
    result = caseview("newkey", env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)})

    assert result.returncode == 0, result.stderr
    key = result.stdout.strip()
    Fernet(key.encode())  # raises if it is not a Fernet key
    token = Fernet(key.encode()).encrypt(b"check")
    assert Fernet(key.encode()).decrypt(token) == b"check"


def test_it_makes_a_different_key_each_time(tmp_path: Path) -> None:
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(tmp_path)}

    assert caseview("newkey", env=env).stdout != caseview("newkey", env=env).stdout


@pytest.mark.parametrize("url", ["/account/sign-in/", "/health/"])
def test_it_sends_a_strict_content_security_policy(client: Client, db: None, url: str) -> None:
    response = client.get(url)

    assert "Content-Security-Policy" in response.headers
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert "default-src 'none'" in policy
    assert re.search(r"script-src 'self'(;|$| 'nonce-)", policy)
    assert "frame-ancestors 'none'" in policy


def test_it_sends_a_strict_policy_on_a_signed_in_page(personas: Personas) -> None:
    response = verified_client(personas.practitioner).get("/reviews/")

    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy


def assert_no_blocked_inline_code(html: str) -> None:
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script> is blocked by the policy"
    assert not re.search(r"\sstyle=", html), "style attributes are blocked by the policy"
    assert not re.search(r"\son[a-z]+=", html), "inline event handlers are blocked by the policy"


def test_it_has_no_inline_code_on_the_sign_in_page(client: Client, db: None) -> None:
    assert_no_blocked_inline_code(client.get("/account/sign-in/").content.decode())


def test_it_has_no_inline_code_around_the_qr_code(client: Client, personas: Personas) -> None:
    client.force_login(personas.practitioner)

    html = client.get("/account/two-factor/set-up/").content.decode()

    assert "<svg" in html
    assert_no_blocked_inline_code(html)
