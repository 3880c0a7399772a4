#!/usr/bin/env python3
"""Opens the built site in headless Chromium and checks what a reader sees.

    check_dom.py --site BUILD/docs/site --course-root REPO --pages REPO/docs/pages --screenshots DIR

The sidebar is drawn by JavaScript, so it is checked in the DOM Chromium has
after running the page's scripts (`--dump-dom`), not in the HTML files:
- the front page's sidebar lists every lesson, in course order, then the
  guides of docs/pages (student, instructor where present, API reference);
- the first lesson page shows syntax-highlighted code outside any fold.
Screenshots of the front page and of that lesson page (laptop and phone
widths) are saved in DIR for a person to look at.

Exit status 77 (CTest's skip) when Chromium is not installed: `./course docs`
installs it (Debian's `chromium` package).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_tree import load_course, present_guides  # noqa: E402

SKIP = 77
HIGHLIGHT_CLASSES = {"keyword", "keywordtype", "keywordflow", "stringliteral", "comment",
                     "preprocessor", "charliteral", "code"}
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                  "--virtual-time-budget=10000"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    def __init__(self, executable: str, profile: Path):
        self.executable = executable
        self.profile = profile

    def _run(self, extra: list[str], url: str) -> subprocess.CompletedProcess:
        command = [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", *extra, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def dom(self, page: Path) -> str:
        result = self._run(["--dump-dom"], page.resolve().as_uri())
        if result.returncode != 0 or "<html" not in result.stdout:
            raise RuntimeError(f"chromium could not render {page}: exit {result.returncode}\n"
                               + result.stderr[-2000:])
        return result.stdout

    def screenshot(self, page: Path, out: Path, width: int, height: int) -> None:
        self._run([f"--screenshot={out}", f"--window-size={width},{height}"], page.resolve().as_uri())
        if not out.exists() or out.stat().st_size < 1000:
            raise RuntimeError(f"chromium wrote no screenshot of {page} to {out}")


class SidebarAndCode(HTMLParser):
    """The sidebar's entries, and highlighted code blocks outside <details>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.sidebar_labels: list[str] = []
        self.visible_highlight = 0
        self.folded_highlight = 0
        self._label_text: list[str] | None = None

    def _inside(self, tag: str, **attrs) -> bool:
        for t, a in self.stack:
            if t == tag and all(v in (a.get(k) or "").split() or a.get(k) == v
                                for k, v in attrs.items()):
                return True
        return False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("br", "img", "meta", "link", "input", "hr"):
            return
        self.stack.append((tag, a))
        classes = (a.get("class") or "").split()
        if tag == "span" and "label" in classes and self._inside("div", id="nav-tree-contents"):
            self._label_text = []
        if tag == "span" and HIGHLIGHT_CLASSES & set(classes) and self._inside("div", **{"class": "fragment"}):
            if self._inside("details"):
                self.folded_highlight += 1
            else:
                self.visible_highlight += 1

    def handle_endtag(self, tag):
        while self.stack:
            t, a = self.stack.pop()
            if t == "span" and "label" in (a.get("class") or "").split() and self._label_text is not None:
                self.sidebar_labels.append(" ".join("".join(self._label_text).split()))
                self._label_text = None
            if t == tag:
                break

    def handle_data(self, data):
        if self._label_text is not None:
            self._label_text.append(data)


def parse(dom: str) -> SidebarAndCode:
    p = SidebarAndCode()
    p.feed(dom)
    return p


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", required=True, type=Path)
    ap.add_argument("--course-root", required=True, type=Path)
    ap.add_argument("--pages", required=True, type=Path, help="docs/pages, which the site was built from")
    ap.add_argument("--screenshots", required=True, type=Path)
    args = ap.parse_args()

    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium is not installed, so the rendered site cannot be checked. "
              "`./course docs` installs it (Debian package `chromium`).")
        return SKIP
    html = args.site / "html"
    if not (html / "index.html").exists():
        print(f"FAILED: no site at {args.site}: build it first (the docs target)")
        return 1

    course = load_course(args.course_root)
    problems: list[str] = []
    args.screenshots.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        browser = Browser(chromium, Path(profile))

        front = parse(browser.dom(html / "index.html"))
        labels = front.sidebar_labels
        print(f"sidebar: {labels}")
        guides = [title for _, _, title in present_guides(args.pages)]
        expected = [l.page_title for l in course.lessons] + guides
        positions = []
        for title in expected:
            if title in labels:
                positions.append(labels.index(title))
            else:
                problems.append(f"the sidebar does not show {title!r}")
        if positions != sorted(positions):
            problems.append("the sidebar does not list the lessons in course order, then the guides")
        browser.screenshot(html / "index.html", args.screenshots / "front-page.png", 1280, 900)

        written = [l for l in course.lessons if l.readme is not None]
        if written:
            lesson = written[0]
            page = html / f"{lesson.label}.html"
            shown = parse(browser.dom(page))
            print(f"{page.name}: {shown.visible_highlight} highlighted tokens shown, "
                  f"{shown.folded_highlight} in folds")
            if shown.visible_highlight == 0:
                problems.append(f"{page.name} shows no highlighted code outside its folds")
            if lesson.page_title not in shown.sidebar_labels:
                problems.append(f"the sidebar on {page.name} does not show {lesson.page_title!r}")
            browser.screenshot(page, args.screenshots / "lesson-page.png", 1280, 900)
            browser.screenshot(page, args.screenshots / "lesson-page-phone.png", 390, 844)
        else:
            print("no lesson is written yet: only the sidebar was checked")

    for p in problems:
        print(f"FAILED: {p}")
    print(f"screenshots: {args.screenshots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
