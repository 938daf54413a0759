"""The README and docs/: short, their links alive, every setting listed."""

import ast
import re
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT

README = REPO_ROOT / "README.md"
README_MAX_LINES = 200
# Every page a relative link may start from.
PAGES = [
    README,
    *sorted((REPO_ROOT / "docs").glob("*.md")),
    REPO_ROOT / "easy-thumbnails-fix" / "README.md",
]
# Where the project reads its environment.
SETTINGS_SOURCES = [
    REPO_ROOT / "et_issue_example" / "settings.py",
    *sorted((REPO_ROOT / "photos").rglob("*.py")),
]

ATX_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SETEXT_UNDERLINE = {1: re.compile(r"^=+\s*$"), 2: re.compile(r"^-+\s*$")}
CODE_SPAN = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(
    r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE
)
EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
TABLE_ROW_CODE = re.compile(r"^\|\s*`([^`]+)`")


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line number, level, title) of each ATX or setext heading outside fences."""
    lines = text.splitlines()
    found = []
    fenced = False
    for number, line in enumerate(lines):
        if line.lstrip().startswith("```"):
            fenced = not fenced
            continue
        if fenced or line.startswith("    "):
            continue
        atx = ATX_HEADING.match(line)
        if atx:
            found.append((number, len(atx[1]), atx[2]))
            continue
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if line.strip() and not line.lstrip().startswith(("|", "-", "*", ">")):
            for level, underline in SETEXT_UNDERLINE.items():
                if underline.match(following):
                    found.append((number, level, line.strip()))
    return found


def anchor(title: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped,
    spaces as hyphens."""
    slug = re.sub(r"[^\w\- ]", "", title.replace("`", "").lower())
    return slug.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    result = set()
    for _, _, title in headings(path.read_text()):
        slug = anchor(title)
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        result.add(slug if count == 0 else f"{slug}-{count}")
    return result


def section(path: Path, title: str) -> list[str]:
    """The lines under the heading title, up to the next heading of its level
    or above."""
    text = path.read_text()
    lines = text.splitlines()
    found = headings(text)
    for index, (number, level, heading) in enumerate(found):
        if heading == title:
            end = next(
                (n for n, other_level, _ in found[index + 1 :] if other_level <= level),
                len(lines),
            )
            return lines[number + 1 : end]
    raise AssertionError(f"{path.name} has no heading {title!r}.")


def table_names(lines: list[str]) -> list[str]:
    """The code span opening each row of the tables in lines."""
    return [m[1] for m in map(TABLE_ROW_CODE.match, lines) if m]


def relative_links(path: Path) -> list[str]:
    text = CODE_SPAN.sub("", path.read_text())
    targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)
    return [target for target in targets if not EXTERNAL.match(target)]


def environment_reads(path: Path) -> set[str]:
    """The variables a module reads by name: os.environ.get(NAME),
    os.environ[NAME], os.getenv(NAME), the settings' env_*(NAME, default)
    helpers, and dj_database_url.config() (DATABASE_URL unless told)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Call):
            called = ast.unparse(node.func)
            if called == "dj_database_url.config":
                keywords = {k.arg: k.value for k in node.keywords}
                key = keywords.get("env", ast.Constant("DATABASE_URL"))
            elif called in {"os.environ.get", "os.getenv"} or (
                isinstance(node.func, ast.Name) and node.func.id.startswith("env")
            ):
                key = node.args[0] if node.args else None
            else:
                continue
        else:
            continue
        if isinstance(key, ast.Constant) and isinstance(key.value, str):
            names.add(key.value)
    return names


def test_the_readme_is_at_most_200_lines():
    lines = README.read_text().splitlines()
    assert len(lines) <= README_MAX_LINES, (
        f"README.md has {len(lines)} lines: move a subject to docs/."
    )


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_every_relative_link_leads_to_a_file_and_its_heading(page):
    """Each relative link names an existing file; one with #anchor, a heading
    of that page."""
    broken = []
    for target in relative_links(page):
        name, _, fragment = target.partition("#")
        linked = (page.parent / name).resolve() if name else page
        if not linked.exists():
            broken.append(f"{target}: no such file")
        elif fragment and linked.suffix == ".md" and fragment not in anchors(linked):
            broken.append(f"{target}: no such heading in {linked.name}")
    assert broken == []


def test_every_environment_variable_read_is_in_the_readme_settings_table():
    read = set().union(*(environment_reads(path) for path in SETTINGS_SOURCES))
    # The reader itself must find what the settings read, or it proves nothing.
    assert {"DJANGO_DEBUG", "DATABASE_URL", "THUMBNAIL_FIX", "PEER"} <= read
    listed = table_names(section(README, "Settings"))

    assert sorted(read - set(listed)) == []
    assert sorted(name for name in set(listed) if listed.count(name) > 1) == []


def test_every_folder_in_where_things_live_exists():
    listed = table_names(section(README, "Where things live"))
    assert len(listed) > 10
    assert [path for path in listed if not (REPO_ROOT / path).exists()] == []
