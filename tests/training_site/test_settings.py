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


def test_the_server_gives_the_interpreter_lock_back_within_a_millisecond():
    """Threads of a worker hand the lock over in 1 ms, not Python's 5 ms
    (see training_site/wsgi.py), and the environment can change it."""
    script = "import sys, training_site.wsgi; print(sys.getswitchinterval())"
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "training_site.settings.test",
    }
    for extra, expected in (({}, 0.001), ({"PYTHON_SWITCH_INTERVAL": "0.002"}, 0.002)):
        result = subprocess.run(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env={**environment, **extra},
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        assert abs(float(result.stdout.split()[-1]) - expected) < 1e-9
