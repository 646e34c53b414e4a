"""`kurukan check --deploy` refuses each unsafe production setting, naming it; `kurukan serve` warns."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from kurukan.server.management.commands.serve import warn_about_unsafe_settings

SAFE_SECRET = "a-long-random-production-secret-key-0123456789-abcdefghij"


@pytest.fixture
def production(settings, tmp_path, db):
    """Safe production settings: every test below breaks exactly one of them."""
    data_dir = tmp_path / "data"
    key_file = tmp_path / "secrets" / "kurukan-keys.json"
    key_file.parent.mkdir()
    key_file.write_text("{}", encoding="utf-8")
    key_file.chmod(0o600)
    data_dir.mkdir()
    settings.DATA_DIR = data_dir
    settings.ENCRYPTION_KEY_FILE = key_file
    settings.ENCRYPTION_KEYS = ""
    settings.SECRET_KEY = SAFE_SECRET
    settings.REQUIRE_2FA = True
    settings.DEBUG = False
    return settings


def deploy_check_errors() -> str:
    try:
        call_command("check", "--deploy", stdout=io.StringIO(), stderr=io.StringIO())
    except SystemCheckError as exc:
        return str(exc)
    return ""


def kurukan_errors(report: str) -> set[str]:
    return {word.strip("():") for word in report.split() if word.startswith("(kurukan.")}


def test_safe_production_settings_pass(production):
    assert kurukan_errors(deploy_check_errors()) == set()


def test_two_factor_off_fails_the_deploy_check(production):
    production.REQUIRE_2FA = False
    report = deploy_check_errors()
    assert kurukan_errors(report) == {"kurukan.E001"}
    assert "KURUKAN_REQUIRE_2FA=0" in report


def test_debug_on_fails_the_deploy_check(production):
    production.DEBUG = True
    report = deploy_check_errors()
    assert kurukan_errors(report) == {"kurukan.E002"}
    assert "DEBUG" in report


def test_the_demo_secret_key_fails_the_deploy_check(production):
    (production.DATA_DIR / "secret_key").write_text("generated-by-the-demo\n", encoding="utf-8")
    production.SECRET_KEY = "generated-by-the-demo"
    report = deploy_check_errors()
    assert kurukan_errors(report) == {"kurukan.E003"}
    assert "démonstration" in report


def test_a_key_file_inside_the_data_directory_fails_the_deploy_check(production):
    inside = production.DATA_DIR / "keys" / "kurukan-keys.json"
    inside.parent.mkdir()
    inside.write_text("{}", encoding="utf-8")
    inside.chmod(0o600)
    production.ENCRYPTION_KEY_FILE = inside
    report = deploy_check_errors()
    assert kurukan_errors(report) == {"kurukan.E004"}
    assert str(inside) in report


def test_a_key_file_readable_by_others_fails_the_deploy_check(production):
    production.ENCRYPTION_KEY_FILE.chmod(0o644)
    report = deploy_check_errors()
    assert kurukan_errors(report) == {"kurukan.E005"}
    assert "chmod 600" in report


def test_serve_warns_loudly_about_each_unsafe_setting(production):
    production.REQUIRE_2FA = False
    production.DEBUG = True
    stream = io.StringIO()
    warn_about_unsafe_settings(stream)
    text = stream.getvalue()
    assert "ATTENTION" in text and "[kurukan.E001]" in text and "[kurukan.E002]" in text


def test_serve_says_nothing_when_settings_are_safe(production):
    stream = io.StringIO()
    warn_about_unsafe_settings(stream)
    assert stream.getvalue() == ""


@pytest.mark.slow
def test_the_demo_configuration_fails_check_deploy_from_the_command_line(tmp_path):
    """What `make demo` runs with: a fresh data directory, generated keys, two-factor login off."""
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KURUKAN_", "DJANGO_"))},
        "KURUKAN_DATA_DIR": str(tmp_path),
        "KURUKAN_REQUIRE_2FA": "0",
    }
    kurukan = [sys.executable, "-m", "kurukan"]
    subprocess.run([*kurukan, "keys", "init"], env=env, check=True, capture_output=True)
    result = subprocess.run([*kurukan, "check", "--deploy"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert kurukan_errors(result.stderr) == {"kurukan.E001", "kurukan.E003", "kurukan.E004"}
