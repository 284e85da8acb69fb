"""The web process's own protection: a Content-Security-Policy on every page, sign-in attempts
rate limited, and `check --deploy` clean with the production settings."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def test_every_page_sends_a_content_security_policy(client, editor):
    client.force_login(editor)
    policy = client.get(reverse("projects:list"))["Content-Security-Policy"]
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]:
        assert directive in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


def sign_in(client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failed_sign_ins_pause_that_username_from_that_address(client, editor):
    for _ in range(4):
        assert sign_in(client, editor.username, "wrong").status_code == 200
    assert sign_in(client, editor.username, "wrong").status_code == 429  # the fifth locks
    refused = sign_in(client, editor.username, "a-long-pass-phrase")
    assert refused.status_code == 429
    assert "Too many sign-in attempts" in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_success_before_the_limit_resets_the_count(client, editor, viewer):
    for _ in range(4):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, editor.username, "a-long-pass-phrase").status_code == 302
    client.logout()
    for _ in range(4):
        sign_in(client, editor.username, "wrong")
    assert sign_in(client, editor.username, "a-long-pass-phrase").status_code == 302
    assert sign_in(client, viewer.username, "a-long-pass-phrase").status_code == 302


def test_check_deploy_is_clean_with_the_production_settings(tmp_path):
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "designer.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://designer.example.com",
        "EMAIL_HOST": "smtp.example.com",
        "SIGNING_KEY_ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "VAR_DIR": str(tmp_path),
    }
    done = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout
