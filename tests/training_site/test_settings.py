"""Production settings pass Django's deployment checks and refuse to start half-set."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, **env):
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "training_site.settings.production",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
    )


def test_production_passes_check_deploy():
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="x" * 60 + "production-secret-for-the-check",
        ALLOWED_HOSTS="jiangtan.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_run_without_a_secret_key():
    result = manage("check", ALLOWED_HOSTS="jiangtan.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
