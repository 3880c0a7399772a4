#!/usr/bin/env python3
"""Builds the course-notes site: generated pages first, then Doxygen.

    build_site.py --doxyfile BUILD/docs/Doxyfile.base --course-root REPO
                  --pages REPO/docs/pages --out BUILD/docs/site
                  [--examples DIR]... [--capture NAME=PROGRAM]...

It reads the course as it is now (docs/tools/course_tree.py): one page per
lesson README (in course order), one per exercise of exercises/manifest.toml
(statement, the Go idea, points, hints folded away, the exercise's files), and
the front page with the course outline, which is what orders the sidebar.
`--capture NAME=PROGRAM` runs PROGRAM and keeps what it printed as NAME.txt, so
the guides quote real runtime output (`\\verbinclude NAME.txt`).
`--timeline NAME=PROGRAM` runs PROGRAM with GOC_TRACE under a fixed seeded
schedule and leaves its timeline page in html/timelines/NAME.html (timelines.py).

Doxygen then runs with the configured settings (warnings are errors there) on
the runtime headers, docs/pages and the generated pages. The exit status is
Doxygen's; on success the last line says where to open the site.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_tree import Course, Exercise, Lesson, load_course, present_guides  # noqa: E402
from go_pairs import PairWriter  # noqa: E402
from notes_markdown import PageRewriter, example_anchor, html_block  # noqa: E402
from timelines import write_timelines  # noqa: E402
from trace_view import TraceError  # noqa: E402

OUTLINE_MARKER = "<!-- course:outline -->"
LISTED_SUFFIXES = {".hpp", ".h", ".cpp", ".cc"}


# Labels of generated sections contain "__", which labels made from a README's
# headings never do (doxygen_label collapses runs of separators), so they cannot clash.
def folded_listing(anchor: str, shown_name: str, course_path: str) -> list[str]:
    return [f"\\anchor {anchor}",
            html_block(f'<details class="source"><summary>{shown_name}</summary>'),
            f"\\include {course_path}",
            html_block("</details>"), ""]


def inline_html(text: str) -> str:
    """Manifest text (plain, with `code` spans) as HTML, never read by Doxygen's
    Markdown: a hint such as `[&](int v) {...}` or `Channel<int>` must show as written."""
    parts = re.split(r"(`+)(.+?)\1", text)
    out = []
    for i in range(0, len(parts), 3):
        out.append(html.escape(parts[i], quote=False))
        if i + 2 < len(parts):
            out.append(f"<code>{html.escape(parts[i + 2], quote=False)}</code>")
    return "".join(out)


def doxygen_text(text: str) -> str:
    """Plain text safe in a Doxygen title or a \\ref's quoted text."""
    return re.sub(r'([<>&\\@#%$"])', lambda m: "'" if m.group(1) == '"' else "\\" + m.group(1),
                  text.replace("`", ""))


def check_command(target: str) -> str:
    return f"`./course check {target}`"


def pager(course: Course, lesson: Lesson, guides: list[tuple[str, str, str]]) -> list[str]:
    """Previous and next links at the foot of a lesson page: the lessons in course
    order, from the front page before the first to the first guide after the last."""
    order = [("index", "The course")] + [(l.label, l.page_title) for l in course.lessons] \
        + [(label, title) for _, label, title in guides[:1]]
    n = [label for label, _ in order].index(lesson.label)
    links = []
    for kind, arrow, (label, title) in (("prev", "Previous", order[n - 1]),
                                        ("next", "Next", order[(n + 1) % len(order)])):
        links.append(f'\\htmlonly<span class="pager-{kind}"><span class="pager-dir">{arrow}</span>'
                     f'\\endhtmlonly @ref {label} "{doxygen_text(title)}"\\htmlonly</span>\\endhtmlonly')
    return [html_block('<div class="pager">'), " ".join(links), html_block("</div>"), ""]


def with_exercise_list(page: str, label: str, items: list[str]) -> list[str]:
    """The page with items appended to its README's own "Exercises" section, or in a
    new one at its end: a lesson page has one section of that name, not two."""
    lines = page.splitlines()
    heading = re.compile(rf"^##\s.*\{{#{label}_exercises\}}\s*$")
    start = next((i for i, line in enumerate(lines) if heading.match(line)), None)
    if start is None:
        return lines + ["", f"## Exercises {{#{label}__exercises}}", "", *items]
    end = next((j for j in range(start + 1, len(lines)) if re.match(r"^#{1,2}\s", lines[j])), len(lines))
    return lines[:end] + ["", *items] + lines[end:]


def lesson_page(course: Course, lesson: Lesson, notes: list[str],
                pairs: PairWriter | None = None, guides: list | None = None) -> str:
    if lesson.readme is None:
        parts = [f"# {doxygen_text(lesson.page_title)} {{#{lesson.label}}}", "",
                 "The notes of this lesson are not written yet; its exercises are below.", ""]
        claimed: list[str] = []
    else:
        rewriter = PageRewriter(course, lesson.readme, lesson.label, lesson.page_title,
                                lesson.exercises, pairs)
        parts = [rewriter.rewrite(lesson.readme.read_text(encoding="utf-8"))]
        claimed = rewriter.claimed_subpages
        notes += rewriter.notes

    unclaimed = [e for e in lesson.exercises if e.label not in claimed]
    if unclaimed:
        items = [f'- \\subpage {ex.label} "{doxygen_text(ex.page_title)}"' for ex in unclaimed]
        items += ["", f"Check one with {check_command('<exercise id>')}, e.g. "
                      f"{check_command(unclaimed[0].id)}.", ""]
        parts = with_exercise_list("\n".join(parts), lesson.label, items)

    if lesson.examples:
        parts += [f"## The programs of this lesson {{#{lesson.label}__programs}}", "",
                  "Every excerpt above is cut from these programs, which the test suite "
                  "compiles and runs. Open one to read it whole.", ""]
        base = lesson.readme.parent
        for example in lesson.examples:
            shown = example.relative_to(base).as_posix()
            parts += folded_listing(example_anchor(lesson.label, shown), shown,
                                    example.relative_to(course.root).as_posix())
    parts += pager(course, lesson, guides or [])
    return "\n".join(parts) + "\n"


def exercise_page(course: Course, ex: Exercise, notes: list[str],
                  pairs: PairWriter | None = None) -> str:
    lesson = course.lesson(ex.lesson)
    parts = [f"# {doxygen_text(ex.page_title)} {{#{ex.label}}}", ""]
    if ex.go_idea:
        parts += [html_block('<div class="callout goequiv"><p><b>The Go idea.</b> '
                             f"{inline_html(ex.go_idea)}</p></div>"), ""]
    files = ", ".join(f"`{f}`" for f in ex.student_files) or "see below"
    points = " · ".join(f"{name.replace('race', 'race detector')} {n}"
                        for name, n in ex.points.items())
    parts += ["| | |", "|:--|:--|"]
    if lesson is not None:
        parts.append(f"| Lesson | @ref {lesson.label} \"{doxygen_text(lesson.page_title)}\" |")
    parts += [f"| Exercise folder | `exercises/{ex.id}/` |",
              f"| You edit | {files} |",
              f"| Points | {points or 'not set'} |",
              f"| Check it | {check_command(ex.id)} |", ""]

    if ex.readme is not None:
        rewriter = PageRewriter(course, ex.readme, ex.label, ex.page_title, pairs=pairs)
        parts.append(rewriter.rewrite(ex.readme.read_text(encoding="utf-8"), keep_title=False))
        notes += rewriter.notes
    else:
        notes.append(f"exercise {ex.id} has no README.md yet; its page shows the manifest only")

    if ex.hints:
        parts += [f"## Hints {{#{ex.label}__hints}}", "",
                  "Try on your own first, then open one hint at a time; each says a little "
                  "more than the one before. `./course hint` reveals them in the same order.", ""]
        for n, hint in enumerate(ex.hints, 1):
            parts += [html_block(f'<details class="hint"><summary>Hint {n}</summary>'
                                 f"<p>{inline_html(hint)}</p></details>"), ""]

    folder = course.root / "exercises" / ex.id
    listed = sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in LISTED_SUFFIXES) \
        if folder.is_dir() else []
    if listed:
        parts += [f"## The exercise's files {{#{ex.label}__files}}", "",
                  "What you start from. Edit only the files listed under *You edit*; "
                  "the header states the contract your code must keep.", ""]
        for path in listed:
            role = "you edit this" if path.name in ex.student_files else \
                "public tests" if path.name.startswith("public_test") else "the contract"
            parts += folded_listing(example_anchor(ex.label, path.name), f"{path.name} ({role})",
                                    path.relative_to(course.root).as_posix())
    return "\n".join(parts) + "\n"


def front_page(course: Course, template: str, pages: Path) -> str:
    outline: list[str] = []
    if course.lessons:
        for lesson in course.lessons:
            outline.append(f'1. \\subpage {lesson.label} "{doxygen_text(lesson.page_title)}"')
            if lesson.exercises:
                refs = ", ".join(f'@ref {e.label} "{e.lesson_number}.{e.number} {doxygen_text(e.title)}"'
                                 for e in lesson.exercises)
                outline.append(f"   <br>Exercises: {refs}")
    else:
        outline.append("The lessons are being written: none is in `lessons/` yet.")
    outline += ["", "Then, whenever you need them:", ""]
    outline += [f'- \\subpage {label} "{title}"' for _, label, title in present_guides(pages)]
    lines = template.splitlines()
    out = []
    for line in lines:
        if line.startswith("# ") and not out:
            out.append(f"# {doxygen_text(course.title)}")
        elif line.strip() == OUTLINE_MARKER:
            out += outline
        else:
            out.append(line)
    return "\n".join(out) + "\n"


MENU_BUTTON = ('<button id="course-menu" type="button" aria-controls="side-nav" aria-expanded="false" '
               'onclick="this.setAttribute(\'aria-expanded\', '
               'document.body.classList.toggle(\'menu-open\'))">&#9776; Menu</button>')
# A link followed in the phone's menu closes it (an anchor on the same page stays).
MENU_SCRIPT = ("<script>document.addEventListener('click', function (e) {"
               " if (e.target.closest('#nav-tree a')) document.body.classList.remove('menu-open'); });"
               "</script>")


def page_header(doxygen: str, doxyfile: Path, out: Path) -> Path:
    """Doxygen's own page header for this configuration, with the Menu button that
    opens the sidebar on a phone (course.css shows the button on narrow screens only)."""
    subprocess.run([doxygen, "-w", "html", "header.html", "footer.html", "unused.css", str(doxyfile)],
                   cwd=out, check=True, capture_output=True)
    header = out / "header.html"
    text = header.read_text(encoding="utf-8")
    if '<div id="titlearea">' not in text or "</head>" not in text:
        raise RuntimeError(f"doxygen's page header has changed: no titlearea in {header}")
    text = text.replace('<div id="titlearea">', '<div id="titlearea">\n' + MENU_BUTTON, 1)
    header.write_text(text.replace("</head>", MENU_SCRIPT + "\n</head>", 1), encoding="utf-8")
    return header


def capture(spec: str, generated: Path, strip: list[str]) -> None:
    name, _, program = spec.partition("=")
    result = subprocess.run([program], capture_output=True, text=True, timeout=60)
    text = result.stdout + result.stderr
    for prefix in strip:
        text = text.replace(prefix.rstrip("/") + "/", "")
    (generated / f"{name}.txt").write_text(text, encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--doxyfile", required=True, type=Path, help="configured Doxyfile.base")
    ap.add_argument("--doxygen", default="doxygen")
    ap.add_argument("--course-root", required=True, type=Path)
    ap.add_argument("--pages", required=True, type=Path, help="docs/pages")
    ap.add_argument("--examples", action="append", default=[], type=Path)
    ap.add_argument("--capture", action="append", default=[], metavar="NAME=PROGRAM")
    ap.add_argument("--strip-prefix", action="append", default=[],
                    help="path prefix removed from captured output")
    ap.add_argument("--timeline", action="append", default=[], metavar="NAME=PROGRAM",
                    help="a program whose traced run is drawn as html/timelines/NAME.html")
    ap.add_argument("--timeline-seed", type=int, default=1)
    ap.add_argument("--out", required=True, type=Path)
    args = ap.parse_args()

    course = load_course(args.course_root)
    out = args.out.resolve()
    generated = out / "generated"
    for stale in (generated, out / "html", out / "xml"):
        shutil.rmtree(stale, ignore_errors=True)
    generated.mkdir(parents=True)

    notes: list[str] = list(course.problems)
    pages: list[Path] = []

    def write(name: str, text: str) -> None:
        path = generated / name
        path.write_text(text, encoding="utf-8")
        pages.append(path)

    write("index.md", front_page(course, (args.pages / "index.md").read_text(encoding="utf-8"), args.pages))
    pairs = PairWriter(generated / "pairs", generated)
    guides = present_guides(args.pages)
    for lesson in course.lessons:
        write(f"{lesson.label}.md", lesson_page(course, lesson, notes, pairs, guides))
        for ex in lesson.exercises:
            write(f"{ex.label}.md", exercise_page(course, ex, notes, pairs))
    for spec in args.capture:
        capture(spec, generated, args.strip_prefix + [str(course.root)])

    static_pages = sorted(p for p in args.pages.iterdir()
                          if p.suffix in (".md", ".dox") and p.name != "index.md")
    example_path = [course.root / "lessons", course.root / "exercises", generated, *args.examples]
    image_path = [l.readme.parent for l in course.lessons if l.readme is not None]

    def quoted(paths) -> str:
        return " ".join(f'"{p}"' for p in paths if Path(p).exists())

    doxyfile = out / "Doxyfile"
    doxyfile.write_text("\n".join([
        f'@INCLUDE = "{args.doxyfile.resolve()}"',
        f'PROJECT_NAME = "{course.title}"',
        f'OUTPUT_DIRECTORY = "{out}"',
        f"INPUT += {quoted(static_pages + pages)}",
        f'USE_MDFILE_AS_MAINPAGE = "{generated / "index.md"}"',
        f"EXAMPLE_PATH = {quoted(example_path)}",
        f"IMAGE_PATH = {quoted(image_path)}",
        f'STRIP_FROM_PATH += "{course.root}" "{generated}"',
        ""]), encoding="utf-8")

    header = page_header(args.doxygen, doxyfile, out)
    with doxyfile.open("a", encoding="utf-8") as f:
        f.write(f'HTML_HEADER = "{header}"\n')

    for note in notes:
        print(f"docs: note: {note}", file=sys.stderr)
    result = subprocess.run([args.doxygen, str(doxyfile)], cwd=out)
    if result.returncode != 0:
        print(f"docs: doxygen failed (exit {result.returncode}); its warnings are above. "
              f"Generated pages are in {generated}", file=sys.stderr)
        return result.returncode
    try:
        drawn = write_timelines(args.timeline, out / "html" / "timelines", args.timeline_seed,
                                args.strip_prefix + [str(course.root)])
    except (TraceError, subprocess.TimeoutExpired) as e:
        print(f"docs: a timeline could not be drawn: {e}", file=sys.stderr)
        return 1
    for name, timeline in drawn:
        print(f"docs: timeline {name}: {len(timeline.lanes)} goroutines, {timeline.count('flow')} arrows")
    print(f"docs: {len(course.lessons)} lessons, {len(course.exercises)} exercises. "
          f"Open file://{out / 'html' / 'index.html'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
