"""The README documents every setting the portal reads from the environment and every command it adds."""

import ast
import re

from django.conf import settings
from django.core.management import get_commands

README = settings.BASE_DIR / "README.md"
PROJECT_APPS = ["campaign_portal", "unions", "enterprises", "members", "campaigns", "reports"]
# The strict helpers of campaign_portal.env, and direct reads.
ENV_READERS = {"env_str", "env_bool", "env_int", "env_list", "env_required", "os.environ.get", "os.getenv"}


def section(title):
    """The lines of one `## ` section of the README."""
    lines = README.read_text(encoding="utf-8").splitlines()
    start = lines.index(f"## {title}") + 1
    end = next((i for i in range(start, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def table_rows(title):
    return [line for line in section(title) if line.startswith("|")]


def variables_read(path):
    """The names of the environment variables a module reads through the env helpers or os.environ/os.getenv."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        name = node.args[0]
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        if ast.unparse(node.func) in ENV_READERS:
            yield name.value


def modules_of_the_project():
    for app in PROJECT_APPS:
        for path in sorted((settings.BASE_DIR / app).rglob("*.py")):
            if "tests" not in path.relative_to(settings.BASE_DIR).parts:
                yield path


def test_the_settings_read_their_variables_through_the_env_helpers():
    # A guard on the test below: if settings stopped reading through the helpers, it would find nothing to check.
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "DATABASE_CONN_MAX_AGE"} <= set(
        variables_read(settings.BASE_DIR / "campaign_portal" / "settings.py")
    )


def test_every_environment_variable_read_is_in_the_production_settings_table():
    documented = set()
    for row in table_rows("Running in production"):
        first_cell = row.split("|")[1]
        documented.update(re.findall(r"`([A-Z][A-Z0-9_]*)(?:=[^`]*)?`", first_cell))
    read = {name for path in modules_of_the_project() for name in variables_read(path)}
    assert sorted(read - documented) == []


def test_every_command_of_the_portal_is_in_the_commands_table():
    table = "\n".join(table_rows("Other commands"))
    commands = [name for name, app in get_commands().items() if app.split(".")[-1] in PROJECT_APPS]
    assert "jobs_worker" in commands
    assert [name for name in sorted(commands) if not re.search(rf"\b{name}\b", table)] == []
