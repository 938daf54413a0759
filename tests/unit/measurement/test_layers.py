"""The measuring code's house rules, read off its source: calls go one way
(down), a study uses another only through its package, a writer never starts
a process and arithmetic never reads a file."""

import ast
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

PACKAGE = REPO_ROOT / "measurement"
# Each layer, and the layers below it it may import from.
MAY_IMPORT = {
    "commands": {"studies", "harness", "report", "probes", "stats"},
    "studies": {"harness", "report", "probes", "stats"},
    "harness": {"probes", "stats"},
    "report": {"stats"},
    "probes": {"stats"},
    "stats": {"probes"},
}
WRITERS = {"markdown.py", "plot.py", "chart.py"}
ARITHMETIC = {"figures.py", "targets.py", "causes.py", "quality.py", "geometry.py"}
# What reads a file or starts a process, by the name it is called by.
READS = {"open", "read_text", "read_bytes", "read_samples", "read_counts", "glob"}
STARTS = {"subprocess", "measurement.harness", "concurrent.futures"}


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def name_of(path: Path) -> str:
    return ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(
        ".__init__"
    )


def imported(path: Path) -> set[str]:
    """Every module path imports, by its full dotted name."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def layer(dotted: str) -> str | None:
    parts = dotted.split(".")
    if parts[0] != "measurement" or len(parts) < 2:
        return None
    return parts[1] if parts[1] in MAY_IMPORT else None


def called(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            function = node.func
            if isinstance(function, ast.Name):
                names.add(function.id)
            elif isinstance(function, ast.Attribute):
                names.add(function.attr)
    return names


@pytest.mark.parametrize("path", modules(), ids=name_of)
def test_calls_go_down(path):
    """No module imports from its own layer's betters, nor the command line."""
    own = layer(name_of(path))
    if own is None:
        return  # measurement/__init__, __main__, switches, errors, metadata
    above = {
        name
        for name in imported(path)
        if layer(name) not in (None, own) and layer(name) not in MAY_IMPORT[own]
    }
    assert above == set()


def test_no_library_module_calls_the_command_line():
    callers = [
        name_of(path)
        for path in modules()
        if layer(name_of(path)) != "commands"
        and path.name != "__main__.py"
        and any(name.startswith("measurement.commands") for name in imported(path))
    ]
    assert callers == []


def reached_into(path: Path) -> set[str]:
    """The modules of other studies path imports: submodules, not packages."""
    own = name_of(path).split(".")[2]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.ImportFrom) or not node.module:
            continue
        parts = node.module.split(".")
        if parts[:2] != ["measurement", "studies"]:
            continue
        if len(parts) > 3 and parts[2] != own:
            found.add(node.module)
        elif len(parts) == 3 and parts[2] != own:
            found.update(
                f"{node.module}.{alias.name}"
                for alias in node.names
                if (PACKAGE / "studies" / parts[2] / f"{alias.name}.py").exists()
            )
    return found


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "studies").glob("*/*.py")), ids=name_of
)
def test_a_study_uses_another_only_through_its_package(path):
    assert reached_into(path) == set()


def studies_named(names: set[str]) -> list[Path]:
    return sorted(
        path for path in (PACKAGE / "studies").glob("*/*.py") if path.name in names
    )


@pytest.mark.parametrize("path", studies_named(WRITERS), ids=name_of)
def test_a_writer_never_starts_a_process(path):
    starting = {
        name
        for name in imported(path)
        if any(name == s or name.startswith(f"{s}.") for s in STARTS)
    }
    assert starting == set()


@pytest.mark.parametrize(
    "path",
    studies_named(ARITHMETIC) + sorted((PACKAGE / "stats").glob("*.py")),
    ids=name_of,
)
def test_arithmetic_never_reads_a_file_nor_starts_a_process(path):
    starting = {
        name
        for name in imported(path)
        if any(name == s or name.startswith(f"{s}.") for s in STARTS)
    }
    assert (starting, called(path) & READS) == (set(), set())


def test_the_top_level_keeps_at_most_a_dozen_modules():
    top = [path.name for path in PACKAGE.iterdir() if path.suffix == ".py"]
    assert len(top) <= 12, top
