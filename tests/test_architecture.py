"""The rules docs/architecture.md states, checked over the code: each test lists the modules
that break its rule, so a new breach fails with its place named."""

import ast
import importlib
import inspect
import re

import pytest

from tests.support import ROOT
from webapp.errors import UserError
from webapp.features import FEATURES

WEBAPP = ROOT / "webapp"
PLUMBING_PACKAGES = {"web", "migrations"}  # packages of webapp/ that are not features


def modules(folder="webapp"):
    """{dotted module name: path} of every module under `folder` (migrations excluded)."""
    found = {}
    for path in sorted((ROOT / folder).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


def imports(path, known=()):
    """The modules `path` imports, anywhere in it (a call-time import counts too); a name
    imported from a package is the submodule it names, where `known` has one by that name."""
    tree = ast.parse(path.read_text())
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                found.add(submodule if submodule in known else node.module)
    return found


def project_imports(path, known):
    return {name for name in imports(path, known) if name in known}


def is_plumbing(module):
    parts = module.split(".")
    return len(parts) == 2 or (len(parts) > 2 and parts[1] in PLUMBING_PACKAGES)  # webapp/*.py, webapp/web/


def feature_of(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in FEATURES else None


def test_every_package_of_webapp_is_a_feature_or_plumbing():
    packages = {p.name for p in WEBAPP.iterdir() if (p / "__init__.py").exists()}
    assert packages - PLUMBING_PACKAGES == set(FEATURES)


def test_plumbing_imports_no_feature():
    known = modules()
    breaches = {
        module: sorted(name for name in project_imports(path, known) if feature_of(name))
        for module, path in known.items()
        if is_plumbing(module) and module != "webapp"
    }
    assert {module: names for module, names in breaches.items() if names} == {}


def test_webapp_never_imports_tasks():
    breaches = [
        module for module, path in modules().items() if any(n.startswith("tasks") for n in imports(path))
    ]
    assert breaches == []


def test_there_is_no_import_cycle():
    known = {**modules(), **modules("tasks")}
    graph = {module: project_imports(path, known) - {module} for module, path in known.items()}
    cycles = []

    def visit(module, trail):
        for name in graph[module]:
            if name in trail:
                cycles.append(trail[trail.index(name) :] + [name])
            elif name not in done:
                visit(name, [*trail, name])
        done.add(module)

    done = set()
    for module in graph:
        if module not in done:
            visit(module, [module])
    assert cycles == []


def test_only_settings_reads_the_environment():
    breaches = [
        module
        for module, path in {**modules(), **modules("tasks")}.items()
        if module != "webapp.settings" and re.search(r"\bos\.(environ|getenv)\b", path.read_text())
    ]
    assert breaches == []


def test_config_py_is_a_settings_table():
    assert len((ROOT / "config.py").read_text().splitlines()) <= 180
    assert not imports(ROOT / "config.py") & set(modules()), "config.py imports nothing of the site"


#: A string that looks like a Redis key: a lower-case name, a colon, more name ("visits:total",
#: f"flash:sale:{id}"); sentences and URLs do not.
KEY_LIKE = re.compile(r"^\{?[a-z][a-z0-9_-]*\}?:[a-z0-9{]")
#: Where key names may be spelled: the features' keys.py, and the cache's one place for its keys.
KEY_PLACES = {"webapp.caching"}


def string_starts(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.lineno, node.value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            yield node.lineno, str(node.values[0].value)


def test_redis_keys_are_built_in_keys_py_only():
    breaches = [
        f"{module}:{line}: {text!r}"
        for module, path in modules().items()
        if not module.endswith(".keys") and module not in KEY_PLACES
        for line, text in string_starts(ast.parse(path.read_text()))
        if KEY_LIKE.match(text)
    ]
    assert breaches == []


def test_lua_scripts_live_in_scripts_py_only():
    breaches = [
        module
        for module, path in modules().items()
        if not module.endswith(".scripts")
        and module != "webapp.redis"
        and re.search(r"\bLuaScript\(|register_script\(", path.read_text())
    ]
    assert breaches == []


def test_time_is_read_in_clock_only():
    breaches = [
        module
        for module, path in modules().items()
        if module != "webapp.clock"
        and re.search(r"datetime\.(now|utcnow|today)\(|\bdate\.today\(", path.read_text())
    ]
    assert breaches == []


def test_tasks_are_queued_by_name_through_jobs_only():
    breaches = [
        module
        for module, path in modules().items()
        if module != "webapp.jobs"
        and re.search(r"(?<!jobs)\.(send_task|delay|apply_async)\(", path.read_text())
    ]
    assert breaches == []
    for module, path in modules("tasks").items():
        for match in re.finditer(r"@shared_task\(([^)]*)", path.read_text()):
            assert re.match(r"\s*name=jobs\.[A-Z_]+", match.group(1)), (
                f"{module}: a task named outside jobs.py"
            )


#: The one error of the site that is not a person's to act on: a setting it cannot run with.
OPERATOR_ERRORS = {"webapp.settings.ConfigError"}


def test_every_error_is_a_user_error_in_its_features_errors_py():
    breaches = []
    for module in modules():
        loaded = importlib.import_module(module)
        for name, value in vars(loaded).items():
            if not (inspect.isclass(value) and issubclass(value, BaseException)):
                continue
            if value.__module__ != module or f"{module}.{name}" in OPERATOR_ERRORS:
                continue  # imported from elsewhere, or allowed
            if not (module.endswith(".errors") and issubclass(value, UserError)):
                breaches.append(f"{module}.{name}")
    assert breaches == []


@pytest.mark.parametrize("feature", FEATURES)
def test_tests_mirror_the_features(feature):
    assert (ROOT / "tests" / feature).is_dir(), f"tests/{feature}/ holds the tests of webapp/{feature}/"


def test_templates_build_every_url_with_url_for():
    breaches = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted((ROOT / "templates").rglob("*.html"))
        for match in re.finditer(r'(href|src|action)="/[^"]*"', path.read_text())
    ]
    assert breaches == []


def test_a_feature_is_registered_by_what_it_has():
    for feature in FEATURES:
        folder = WEBAPP / feature
        if (folder / "views.py").exists():
            assert hasattr(importlib.import_module(f"webapp.{feature}.views"), "bp")
        if (folder / "commands.py").exists():
            commands = importlib.import_module(f"webapp.{feature}.commands")
            assert hasattr(commands, "cli") or hasattr(commands, "seed"), f"webapp/{feature}/commands.py"


def test_webapp_commands_imports_no_feature():
    known = modules()
    assert not {name for name in project_imports(WEBAPP / "commands.py", known) if feature_of(name)}
