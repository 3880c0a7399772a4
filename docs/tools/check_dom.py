#!/usr/bin/env python3
"""Opens the built site in headless Chromium and checks what a reader sees.

    check_dom.py --site BUILD/docs/site --course-root REPO --pages REPO/docs/pages --screenshots DIR

The sidebar is drawn by JavaScript, so it is checked in the DOM Chromium has
after running the page's scripts (`--dump-dom`), not in the HTML files:
- the front page's sidebar lists every lesson, in course order, then the
  guides of docs/pages (student, instructor where present, API reference);
- every written lesson page shows syntax-highlighted C++ outside any fold,
  and its own title in the sidebar;
- every lesson page laid out at phone width (390 px) and desktop width
  (1280 px), and a sample of the other pages at phone width, as measured by
  measure_pages.js: no code block runs past its container and no page
  scrolls sideways; the Go/C++ pairs are all there with both
  columns, side by side on the desktop and one after the other on the phone;
  previous/next links lead to the lessons before and after; one "Exercises"
  section; on the phone a Menu button opens the sidebar and the search box
  shows; on the desktop sidebar entries end in an ellipsis and the sync
  button covers none of them.
Screenshots of the front page and of the first lesson page at its first Go/C++
pair (desktop and phone widths) are saved in DIR for a person to look at.

Exit status 77 (CTest's skip) when Chromium is not installed: `./course docs`
installs it (Debian's `chromium` package).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_tree import load_course, present_guides  # noqa: E402

SKIP = 77
PHONE, DESKTOP = 390, 1280
PHONE_MAX, STACKED_MAX = 767, 1023   # course.css: the phone layout; pairs one after the other
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


class Browser:
    def __init__(self, executable: str, profile: Path):
        self.executable = executable
        self.profile = profile

    def _run(self, extra: list[str], url: str, budget_ms: int = 10000) -> subprocess.CompletedProcess:
        # Virtual time runs ahead while the page is idle: the budget costs little real time.
        command = [self.executable, *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}",
                   f"--virtual-time-budget={budget_ms}", *extra, url]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    def dom(self, page: Path, extra: list[str] | None = None, budget_ms: int = 10000) -> str:
        result = self._run(["--dump-dom", *(extra or [])], page.resolve().as_uri(), budget_ms)
        if result.returncode != 0 or "<html" not in result.stdout:
            raise RuntimeError(f"chromium could not render {page}: exit {result.returncode}\n"
                               + result.stderr[-2000:])
        return result.stdout

    def screenshot(self, page: Path, out: Path, width: int, height: int, anchor: str = "") -> None:
        url = page.resolve().as_uri() + (f"#{anchor}" if anchor else "")
        self._run([f"--screenshot={out}", f"--window-size={width},{height}"], url)
        if not out.exists() or out.stat().st_size < 1000:
            raise RuntimeError(f"chromium wrote no screenshot of {page} to {out}")


class Sidebar(HTMLParser):
    """The sidebar's entries, as Chromium's DOM has them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, dict]] = []
        self.sidebar_labels: list[str] = []
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


def parse(dom: str) -> Sidebar:
    p = Sidebar()
    p.feed(dom)
    return p


def measure(browser: Browser, jobs: list[tuple[Path, int]], work: Path) -> list[dict]:
    """Each page laid out at its width, as measured by measure_pages.js."""
    script = (Path(__file__).resolve().parent / "measure_pages.js").read_text(encoding="utf-8")
    harness = work / "measure.html"
    harness.write_text(
        '<!DOCTYPE html><html><body><pre id="results">pending</pre><script>\n'
        f"const JOBS = {json.dumps([[p.resolve().as_uri(), w] for p, w in jobs])};\n"
        f"{script}</script></body></html>\n",
        encoding="utf-8")
    # The harness reads the frames' documents: file pages may read file pages.
    dom = browser.dom(harness, ["--allow-file-access-from-files"], budget_ms=60000)
    m = re.search(r'<pre id="results">(.*?)</pre>', dom, re.S)
    text = m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&") if m else "no results"
    if not text.startswith("["):
        raise RuntimeError(f"measuring the pages failed: {text[:500]}")
    return json.loads(text)


def layout_problems(m: dict, expected_pairs: int, prev: str | None, next_: str | None) -> list[str]:
    """What is wrong with one page at one width (m: one result of measure_pages.js)."""
    where = f"{Path(m['page']).name} at {m['width']} px"
    phone = m["width"] <= PHONE_MAX
    problems = []
    for block in m["code"]:
        right = block["box"]["right"]
        if right > block["container"]["right"] + 1 or right > m["viewport"] + 1:
            problems.append(f"{where}: a code block runs past its container ({block['text']!r})")
        elif block["scrolls"] and block["overflowX"] not in ("auto", "scroll"):
            problems.append(f"{where}: a code block is cut off instead of scrolling ({block['text']!r})")
    if m["sideways"] is not None and m["sideways"] > 1:
        problems.append(f"{where}: the page scrolls sideways by {m['sideways']} px")
    if len(m["pairs"]) != expected_pairs:
        problems.append(f"{where}: {len(m['pairs'])} Go/C++ pairs shown, {expected_pairs} generated")
    for n, pair in enumerate(m["pairs"], 1):
        go, cpp = pair["go"], pair["cpp"]
        if not go or not cpp:
            problems.append(f"{where}: pair {n} lacks its {'Go' if not go else 'C++'} column")
        elif m["width"] > STACKED_MAX and not (go["right"] <= cpp["left"] and abs(go["top"] - cpp["top"]) <= 2):
            problems.append(f"{where}: pair {n} is not side by side (Go {go}, C++ {cpp})")
        elif phone and not cpp["top"] >= go["bottom"] - 1:
            problems.append(f"{where}: pair {n} is not one column after the other (Go {go}, C++ {cpp})")
    for kind, got, want in (("previous", m["prev"], prev), ("next", m["next"], next_)):
        if want is not None and got != want:
            problems.append(f"{where}: the {kind} link goes to {got or 'nowhere'}, expected {want}")
    if m["exerciseHeadings"] > 1:
        problems.append(f"{where}: {m['exerciseHeadings']} sections called Exercises")
    if not m["search"]:
        problems.append(f"{where}: no search box")
    menu, side = m["menu"], m["sidebar"]
    if phone and not (menu["button"] and not menu["sidebarBefore"] and menu["sidebarAfter"]):
        problems.append(f"{where}: no Menu button that opens the sidebar ({menu})")
    if not phone:
        if menu["button"]:
            problems.append(f"{where}: the phone's Menu button shows on a wide screen")
        if side["textOverflow"] != "ellipsis" or side["whiteSpace"] != "nowrap":
            problems.append(f"{where}: long sidebar entries are not cut with an ellipsis")
        if side["coveredBySync"]:
            problems.append(f"{where}: the sync button covers {side['coveredBySync']}")
    return problems


def reference_pages(html: Path, course) -> list[Path]:
    """A sample of the other kinds of page, laid out too: the front page, an
    exercise, the API reference, the runtime's namespace, a class and its members."""
    classes = sorted(p for p in html.glob("class*_1_1*.html") if not p.name.endswith("-members.html"))
    names = ["index.html", "api_reference.html", "namespacegoc.html"]
    names += [f"{e.label}.html" for e in course.exercises[:1]]
    names += [c.name for c in classes[:1]] + [c.name.replace(".html", "-members.html") for c in classes[:1]]
    return [html / n for n in names if (html / n).exists()]


def check_layout(browser: Browser, course, site: Path, guides: list, work: Path) -> list[str]:
    """Lays out every lesson page and a sample of the others at both widths."""
    html = site / "html"
    order = ["index.html"] + [f"{l.label}.html" for l in course.lessons] + [f"{g[1]}.html" for g in guides[:1]]
    lessons = [html / f"{l.label}.html" for l in course.lessons]
    problems = []
    # Lessons at both widths; the other pages at the phone's, where they used to break.
    jobs = [(p, w) for p in lessons for w in (PHONE, DESKTOP)]
    jobs += [(p, PHONE) for p in reference_pages(html, course)]
    results = measure(browser, jobs, work)
    for m in results:
        name = Path(m["page"]).name
        generated = site / "generated" / name.replace(".html", ".md")
        pairs = generated.read_text(encoding="utf-8").count('<div class="gopair">') if generated.exists() else 0
        prev = nxt = None
        if name in order[1:1 + len(lessons)]:
            n = order.index(name)
            prev, nxt = order[n - 1], order[n + 1] if n + 1 < len(order) else order[0]
        problems += layout_problems(m, pairs, prev, nxt)
        lesson = next((l for l in course.lessons if f"{l.label}.html" == name), None)
        if lesson is not None and lesson.readme is not None and m["width"] == DESKTOP:
            if m["highlighted"] == 0:
                problems.append(f"{name} shows no highlighted C++ outside its folds")
            if lesson.page_title not in m["sidebar"]["entries"]:
                problems.append(f"the sidebar on {name} does not show {lesson.page_title!r}")
        print(f"{name} at {m['width']} px: {len(m['code'])} code blocks, {m['highlighted']} highlighted "
              f"C++ tokens shown, {len(m['pairs'])} pairs, previous {m['prev']}, next {m['next']}")
    if not any(m["pairs"] for m in results) and any(
            "// Go:" in e.read_text(encoding="utf-8") for l in course.lessons for e in l.examples):
        problems.append("no lesson page shows a Go/C++ pair, although the lesson programs have Go comments")
    return problems


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
            first_pair = re.search(r'<div class="gopairs" id="([^"]+)"', page.read_text(encoding="utf-8"))
            anchor = first_pair.group(1) if first_pair else ""
            browser.screenshot(page, args.screenshots / "lesson-page.png", DESKTOP, 900, anchor)
            browser.screenshot(page, args.screenshots / "lesson-page-phone.png", PHONE, 844, anchor)
            problems += check_layout(browser, course, args.site, present_guides(args.pages),
                                      Path(profile))
        else:
            print("no lesson is written yet: only the sidebar was checked")

    for p in problems:
        print(f"FAILED: {p}")
    print(f"screenshots: {args.screenshots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
