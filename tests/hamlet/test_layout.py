"""The layout shows the architecture: the core (``hamlet/``) knows no app that builds on it.

``hamlet/settings.py`` and ``hamlet/urls.py`` list the apps, so they are the exceptions;
everything else in the core reaches later apps only through what they declare on their
AppConfig (``hamlet.contributions``, ``hamlet.roles``).
"""

import ast
import re
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "hamlet"
LATER_APPS = ("residents", "mentoring", "programme", "evaluation")
EXCEPTIONS = {"settings.py", "urls.py"}
# A reference to an app by name in code: "mentoring.view_peerrole", "residents:list", "programme/".
NAMED = re.compile(rf"\b({'|'.join(LATER_APPS)})[.:/]\w")


def core_modules() -> list[Path]:
    return sorted(path for path in CORE.rglob("*.py") if path.name not in EXCEPTIONS and "migrations" not in path.parts)


def later_apps_named_in(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] in LATER_APPS]
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LATER_APPS:
            found.append(node.module)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found += [match.group(0) for match in NAMED.finditer(node.value)]
    return found


@pytest.mark.parametrize("path", core_modules(), ids=lambda path: str(path.relative_to(CORE)))
def test_the_core_imports_and_names_no_later_app(path):
    assert later_apps_named_in(path.read_text()) == []


def test_the_check_finds_an_import_and_a_name_of_a_later_app():
    source = 'from residents.models import Resident\nimport mentoring\nPERM = "programme.view_cohort"\n'
    assert later_apps_named_in(source) == ["residents.models", "mentoring", "programme.v"]


def test_the_core_templates_name_no_later_app():
    templates = CORE.parent / "templates" / "hamlet"
    for path in templates.rglob("*.html"):
        assert not NAMED.findall(path.read_text()), path
