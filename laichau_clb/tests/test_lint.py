"""The static security checks (ruff with flake8-bandit's S rules) pass over the project, and bite."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _ruff(*args, stdin=None):
    return subprocess.run(  # noqa: S603  fixed argv: this interpreter running ruff
        [sys.executable, "-m", "ruff", "check", *args], cwd=ROOT, input=stdin, capture_output=True, text=True, timeout=120,
    )


def test_the_project_passes_the_security_checks():
    result = _ruff(".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_checks_catch_a_shell_command_in_app_code():
    bad = "import subprocess\n\n\ndef run(name):\n    subprocess.call('ls ' + name, shell=True)\n"
    result = _ruff("--stdin-filename", "clubs/example.py", "-", stdin=bad)
    assert result.returncode == 1 and "S602" in result.stdout
