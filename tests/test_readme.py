"""README's Quickstart is the contract with a new user: check it names what CI runs."""
import re

from .conftest import REPO


def quickstart_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quickstart\n+```(?:bash|sh|console)?\n(.*?)```", readme, re.MULTILINE | re.DOTALL)
    assert match, "README.md needs a fenced code block directly under '## Quickstart'"
    return [line.strip() for line in match.group(1).splitlines() if line.strip() and not line.startswith("#")]


def test_quickstart_has_the_main_job_then_the_tests():
    commands = quickstart_commands()
    assert len(commands) == 2
    main_job, tests = commands
    assert " run corpus " in f" {main_job} " and "--out annotations/predicted" in main_job
    assert "test" in tests


def test_ci_runs_the_readme_test_command():
    _, tests = quickstart_commands()
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    ci_commands = [line.strip() for line in ci.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert tests in ci_commands
