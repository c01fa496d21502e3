"""The house rules that are not ruff's or mypy's: no import circles, no invented addresses, no dataclasses."""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import msgspec
import pytest

import spfeed
from spfeed import models, publish

PACKAGE = Path(spfeed.__file__).parent
ROOT = PACKAGE.parent

# None: the one known when this test was written (parse.py <-> fallback.py)
# went with the fallback's rewrite (what both read is in markup.py).
KNOWN_CIRCLES: set[frozenset[str]] = set()


def _under_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_modules(tree: ast.Module, module: str, known: set[str]) -> set[str]:
    """The spfeed modules ``module`` imports anywhere (lazily inside functions
    too: a lazy import still ties the two modules), except under TYPE_CHECKING."""
    found: set[str] = set()
    package = module.rpartition(".")[0]
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _under_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: "." is the package, ".." its parent
                parent = package.rsplit(".", node.level - 1)[0]
                base = f"{parent}.{base}" if base else parent
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
        stack.extend(ast.iter_child_nodes(node))
    return (found & known) - {module}


def import_graph() -> dict[str, set[str]]:
    files = {f"spfeed.{path.stem}": path for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    known = set(files)
    return {name: _imported_modules(ast.parse(path.read_text("utf-8")), name, known) for name, path in files.items()}


def circles(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(component)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_circle_finder_finds_a_circle_and_passes_a_chain():
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [{"a", "b", "c"}]
    assert circles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_import_graph_sees_relative_and_lazy_imports():
    graph = import_graph()
    assert "spfeed.models" in graph["spfeed.parse"]  # from .models import RawItem
    assert "spfeed.pipeline" in graph["spfeed.cli"]  # imported inside the commands


def test_no_import_circles_between_spfeed_modules():
    found = [component for component in circles(import_graph()) if frozenset(component) not in KNOWN_CIRCLES]
    assert found == [], "modules that import each other (directly or around a loop): " + "; ".join(
        " <-> ".join(sorted(component)) for component in found
    )


def test_the_generator_uri_is_the_homepage_in_pyproject_or_absent():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    urls = {key.lower(): value for key, value in project.get("urls", {}).items()}
    assert urls.get("homepage") == publish.GENERATOR_URI


# Records are msgspec.Structs (issue 15): a @dataclass generates and exec()s its
# methods at import, ~0.4-1.2 ms a class at every start; a Struct is made in C.
NO_DATACLASS = (
    "records in spfeed/ are msgspec.Struct, not @dataclass: a dataclass compiles its generated methods at "
    "import (~1 ms a class, paid by every process); see pyproject.toml's comment on msgspec"
)


def dataclass_uses(source: str) -> list[int]:
    """The lines where ``source`` makes a dataclass: decorates a class with
    ``dataclasses.dataclass`` (under any name it was imported as) or calls
    ``make_dataclass``. Read from the syntax tree, so a comment or a string
    that mentions them does not count."""
    tree = ast.parse(source)
    names: set[str] = set()  # what dataclass and make_dataclass are called here
    modules: set[str] = set()  # what the dataclasses module is called here
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "dataclasses":
            names.update(a.asname or a.name for a in node.names if a.name in {"dataclass", "make_dataclass"})
        elif isinstance(node, ast.Import):
            modules.update(a.asname or a.name for a in node.names if a.name == "dataclasses")

    def makes_one(expr: ast.expr) -> bool:
        if isinstance(expr, ast.Call):
            expr = expr.func
        if isinstance(expr, ast.Name):
            return expr.id in names
        return (
            isinstance(expr, ast.Attribute)
            and expr.attr in {"dataclass", "make_dataclass"}
            and isinstance(expr.value, ast.Name)
            and expr.value.id in modules
        )

    # A decorator with arguments is also a call: a set, so its line counts once.
    lines: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ClassDef):
            lines.update(decorator.lineno for decorator in node.decorator_list if makes_one(decorator))
        elif isinstance(node, ast.Call) and makes_one(node.func):
            lines.add(node.lineno)
    return sorted(lines)


def test_the_dataclass_finder_sees_each_spelling_and_not_a_comment():
    source = '''\
import dataclasses as dc
from dataclasses import dataclass, make_dataclass as make

# @dataclass in a comment, and in a string: "@dataclass"
@dataclass
class A:
    x: int

@dataclass(frozen=True)
class B:
    x: int

@dc.dataclass
class C:
    x: int

D = make("D", ["x"])

class E:
    """Not one: @dataclass"""
'''
    assert dataclass_uses(source) == [5, 9, 13, 17]


def found_in_spfeed(finder: Callable[[str], list[int]]) -> list[str]:
    """``path:line`` of every place ``finder`` finds in spfeed's modules."""
    return [
        f"{path.relative_to(ROOT)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in finder(path.read_text("utf-8"))
    ]


def test_spfeed_defines_no_dataclass():
    found = found_in_spfeed(dataclass_uses)
    assert found == [], f"{NO_DATACLASS}: {', '.join(found)}"



def docstrings_after_code(source: str) -> list[int]:
    """Lines of functions whose docstring comes after an import, where Python
    reads it as a bare string, not as the function's documentation."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or ast.get_docstring(node) is not None:
            continue
        imports = 0
        while imports < len(node.body) and isinstance(node.body[imports], ast.Import | ast.ImportFrom):
            imports += 1
        after = node.body[imports] if imports and imports < len(node.body) else None
        if isinstance(after, ast.Expr) and isinstance(after.value, ast.Constant) and isinstance(after.value.value, str):
            found.append(node.lineno)
    return found


def test_the_misplaced_docstring_finder_sees_one_after_an_import_only():
    source = '''\
def lazy():
    from .models import Item

    """Lost: a bare string."""


def documented():
    """Kept."""
    from .models import Item


def later():
    x = 1
    """A string after code is no docstring either, but no import hid it."""
'''
    assert docstrings_after_code(source) == [1]


def test_no_docstring_of_spfeed_hides_behind_a_lazy_import():
    found = found_in_spfeed(docstrings_after_code)
    assert found == [], f"move each docstring above the function's imports: {', '.join(found)}"


def test_the_records_passed_between_stages_are_frozen_and_hashable():
    # What one stage hands the next is a value: no one downstream changes it under another reader.
    records = [kind for kind in vars(models).values() if isinstance(kind, type) and issubclass(kind, msgspec.Struct)]
    assert len(records) >= 12, [record.__name__ for record in records]  # models.py's own and page.py's
    assert [record.__name__ for record in records if not record.__struct_config__.frozen] == []
    when = models.When(start=datetime(2024, 5, 1, tzinfo=UTC))
    item = models.Item("https://www.ilo.org/a", "A", "https://www.ilo.org/a", when)  # positional, as before
    assert hash(item) == hash(models.Item("https://www.ilo.org/a", "A", "https://www.ilo.org/a", when))
    with pytest.raises(AttributeError):
        item.title = "B"  # type: ignore[misc]
