"""What the course contains right now: its lessons and its exercises.

Both the site builder and the site checks read the course through this module,
so they agree on what must be on the site. Everything is discovered, nothing
is listed by hand:

- a lesson is a folder lessons/NN-topic/ with a README.md;
- an exercise is an [[exercise]] entry of exercises/manifest.toml, in the
  manifest's order; its statement is exercises/<id>/README.md when present.

Lesson and exercise numbers come from the fixed-width prefixes
(NN-topic/MM-slug), so course order is plain sorting for lessons and manifest
order for exercises.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib  # Python 3.11+
except ModuleNotFoundError:  # pragma: no cover - depends on the machine
    sys.exit("docs: Python 3.11 or newer is needed (for tomllib); this is " + sys.version)

DEFAULT_TITLE = "Go-style concurrency in C++"
# The guides of docs/pages, in the sidebar's order: (file, Doxygen label,
# title). A student's release has no instructor guide, so a guide is on the
# site exactly when its file is there.
GUIDES = [("student-guide.md", "student_guide", "The student guide"),
          ("instructor-guide.md", "instructor_guide", "The instructor guide"),
          ("api-reference.md", "api_reference", "The runtime API reference")]


def present_guides(pages: Path) -> list[tuple[str, str, str]]:
    """The GUIDES whose page is in the folder `pages` (docs/pages)."""
    return [g for g in GUIDES if (pages / g[0]).is_file()]
LESSON_DIR_RE = re.compile(r"^(\d\d)-([a-z0-9][a-z0-9-]*)$")
EXERCISE_ID_RE = re.compile(r"^(\d\d)-([a-z0-9-]+)/(\d\d)-([a-z0-9-]+)$")


def doxygen_label(text: str) -> str:
    """A Doxygen label (letters, digits, underscores) made from any text."""
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower()


@dataclass
class Exercise:
    id: str                      # NN-topic/MM-slug
    title: str
    lesson: str                  # NN-topic
    go_idea: str = ""
    hints: list[str] = field(default_factory=list)
    student_files: list[str] = field(default_factory=list)
    points: dict[str, int] = field(default_factory=dict)
    readme: Path | None = None   # exercises/<id>/README.md when it exists

    @property
    def lesson_number(self) -> int:
        return int(self.id[:2])

    @property
    def number(self) -> int:
        return int(self.id.split("/")[1][:2])

    readme_label: str = ""       # the README title's own {#label}, which wins

    @property
    def label(self) -> str:
        """Page label: the README's own, else one that mirrors the target key ex_NN_MM."""
        return self.readme_label or f"exercise_{self.id[:2]}_{self.id.split('/')[1][:2]}"

    @property
    def page_title(self) -> str:
        return f"Exercise {self.lesson_number}.{self.number}: {self.title}"


@dataclass
class Lesson:
    dirname: str                 # NN-topic
    readme: Path | None          # None: exercises name a lesson whose notes are not written yet
    title: str = ""
    exercises: list[Exercise] = field(default_factory=list)
    examples: list[Path] = field(default_factory=list)

    @property
    def number(self) -> int:
        return int(self.dirname[:2])

    @property
    def topic(self) -> str:
        return self.dirname[3:].replace("-", " ")

    readme_label: str = ""       # the README title's own {#label}, which wins

    @property
    def label(self) -> str:
        return self.readme_label or "lesson_" + doxygen_label(self.dirname)

    @property
    def page_title(self) -> str:
        """The README's title, with the lesson number in front when it lacks one."""
        title = self.title or self.topic.capitalize()
        if re.match(r"^(lesson\s+)?0*%d\b" % self.number, title, re.IGNORECASE):
            return title
        return f"Lesson {self.number}: {title}"


@dataclass
class Course:
    root: Path
    title: str
    lessons: list[Lesson]
    exercises: list[Exercise]
    problems: list[str]          # what is malformed; the checks report it

    def lesson(self, dirname: str) -> Lesson | None:
        return next((l for l in self.lessons if l.dirname == dirname), None)

    def exercise(self, ex_id: str) -> Exercise | None:
        return next((e for e in self.exercises if e.id == ex_id), None)


EXAMPLE_SUFFIXES = {".cpp", ".hpp", ".h", ".cc", ".go"}


def first_heading(markdown: str) -> str:
    """The text of the first level-1 heading (ATX or setext), without any {#label}."""
    return _first_heading(markdown)[0]


def first_heading_label(markdown: str) -> str:
    """The explicit `{#label}` of the first level-1 heading, or ''."""
    return _first_heading(markdown)[1]


def _first_heading(markdown: str) -> tuple[str, str]:
    lines = markdown.splitlines()
    in_fence = False
    for i, line in enumerate(lines):
        if re.match(r"^\s*(```|~~~)", line):
            in_fence = not in_fence
            continue
        if in_fence:
            continue
        m = re.match(r"^#\s+(.*?)\s*#*\s*$", line)
        if m:
            label = re.search(r"\{#([A-Za-z0-9_]+)\}\s*$", m.group(1))
            return (re.sub(r"\s*\{#[^}]*\}\s*$", "", m.group(1)).strip(),
                    label.group(1) if label else "")
        if line.strip() and i + 1 < len(lines) and re.match(r"^=+\s*$", lines[i + 1]):
            return line.strip(), ""
    return "", ""


def load_course(root: Path) -> Course:
    root = root.resolve()
    problems: list[str] = []
    lessons: list[Lesson] = []
    lessons_dir = root / "lessons"
    if lessons_dir.is_dir():
        for d in sorted(p for p in lessons_dir.iterdir() if p.is_dir()):
            if not LESSON_DIR_RE.match(d.name):
                continue
            readme = d / "README.md"
            if not readme.is_file():
                problems.append(f"lessons/{d.name}/ has no README.md")
                continue
            text = readme.read_text(encoding="utf-8")
            lesson = Lesson(d.name, readme, first_heading(text), readme_label=first_heading_label(text))
            examples_dir = d / "examples"
            if examples_dir.is_dir():
                lesson.examples = sorted(
                    p for p in examples_dir.rglob("*") if p.is_file() and p.suffix in EXAMPLE_SUFFIXES)
            lessons.append(lesson)

    title = DEFAULT_TITLE
    exercises: list[Exercise] = []
    manifest = root / "exercises" / "manifest.toml"
    if manifest.is_file():
        try:
            data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as e:
            problems.append(f"exercises/manifest.toml does not parse: {e}")
            data = {}
        title = data.get("course", {}).get("title", title)
        seen: set[str] = set()
        for entry in data.get("exercise", []):
            ex_id = str(entry.get("id", ""))
            if not EXERCISE_ID_RE.match(ex_id):
                problems.append(f"manifest: exercise id {ex_id!r} is not NN-topic/MM-slug")
                continue
            if ex_id in seen:
                problems.append(f"manifest: exercise {ex_id} is listed twice")
                continue
            seen.add(ex_id)
            readme = root / "exercises" / ex_id / "README.md"
            exercises.append(Exercise(
                id=ex_id,
                title=str(entry.get("title", ex_id)),
                lesson=str(entry.get("lesson", ex_id.split("/")[0])),
                go_idea=str(entry.get("go_idea", "")),
                hints=[str(h) for h in entry.get("hints", [])],
                student_files=[str(f) for f in entry.get("student_files", [])],
                points={str(k): int(v) for k, v in entry.get("points", {}).items()},
                readme=readme if readme.is_file() else None,
                readme_label=first_heading_label(readme.read_text(encoding="utf-8"))
                if readme.is_file() else ""))

    # Every exercise hangs under its lesson; a lesson named only by exercises
    # gets a page of its own so that its exercises stay reachable.
    for ex in exercises:
        lesson = next((l for l in lessons if l.dirname == ex.lesson), None)
        if lesson is None:
            if not LESSON_DIR_RE.match(ex.lesson):
                problems.append(f"manifest: exercise {ex.id} names lesson {ex.lesson!r}, "
                                "which is not NN-topic")
                continue
            lesson = Lesson(ex.lesson, None)
            lessons.append(lesson)
            lessons.sort(key=lambda l: l.dirname)
        lesson.exercises.append(ex)
    return Course(root, title, lessons, exercises, problems)
