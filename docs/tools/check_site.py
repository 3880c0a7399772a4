#!/usr/bin/env python3
"""Checks a built course-notes site against the course it was built from.

    check_site.py --site BUILD/docs/site --course-root REPO
                  --doxyfile BUILD/docs/Doxyfile.base [--doxygen doxygen]

Fails (exit 1, listing every problem) when:
- an internal link does not resolve: a page, a file or an #anchor that is not
  there, in the HTML pages and in the sidebar's data (navtree*.js);
- a lesson or an exercise of the course has no page, is missing from the
  sidebar, or an exercise page lacks its title, its Go idea or a folded hint;
- a public name of the runtime (namespace goc, outside goc::detail) is not
  documented on the site, or the runtime API reference page does not link to it.
  The names come from a second Doxygen run over the headers with EXTRACT_ALL,
  so a new, undocumented function is caught even though the site leaves it out.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from course_tree import load_course  # noqa: E402


class PageScan(HTMLParser):
    """Anchors a page defines, links it makes, and the hint folds it holds."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self.hint_depth = 0
        self.hints: list[str] = []
        self._details_stack: list[bool] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name"):
            if a.get(key):
                self.ids.add(a[key])
        if tag in ("a", "link") and a.get("href"):
            self.links.append(a["href"])
        if tag in ("img", "script", "iframe") and a.get("src"):
            self.links.append(a["src"])
        if tag == "details":
            is_hint = "hint" in (a.get("class") or "").split()
            self._details_stack.append(is_hint)
            if is_hint:
                self.hint_depth += 1
                self.hints.append("")

    def handle_endtag(self, tag):
        if tag == "details" and self._details_stack:
            if self._details_stack.pop():
                self.hint_depth -= 1

    def handle_data(self, data):
        self.text.append(data)
        if self.hint_depth:
            self.hints[-1] += data


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def rendered(manifest_text: str) -> str:
    """The text a manifest string shows on the site (build_site renders it: code spans
    lose their backticks, nothing else changes)."""
    return normalized(manifest_text.replace("`", ""))


def is_external(url: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", url)) or url.startswith("//")


class Site:
    def __init__(self, site_dir: Path):
        self.html = site_dir / "html"
        self.xml = site_dir / "xml"
        self.pages: dict[Path, PageScan] = {}
        for page in sorted(self.html.rglob("*.html")):
            scan = PageScan()
            scan.feed(page.read_text(encoding="utf-8", errors="replace"))
            self.pages[page.resolve()] = scan

    def page(self, name: str) -> PageScan | None:
        return self.pages.get((self.html / name).resolve())

    def navtree_links(self) -> dict[Path, list[str]]:
        """Every page link in the sidebar's data files."""
        found = {}
        for js in sorted(self.html.glob("*.js")):
            text = js.read_text(encoding="utf-8", errors="replace")
            if js.name.startswith("navtree") or re.search(r"^var \w+ =\s*\[", text, re.M):
                found[js] = re.findall(r'"([^"\s]+\.html(?:#[^"\s]*)?)"', text)
        return found

    def broken_links(self) -> list[str]:
        problems = []

        def check(origin: str, base_dir: Path, url: str) -> None:
            if not url or is_external(url):
                return
            parts = urlsplit(url)
            target = (base_dir / unquote(parts.path)).resolve()
            if not target.exists():
                problems.append(f"{origin}: link to {url}: no such file")
            elif parts.fragment and target in self.pages \
                    and parts.fragment not in self.pages[target].ids:
                problems.append(f"{origin}: link to {url}: no anchor #{parts.fragment} there")

        for page, scan in self.pages.items():
            rel = page.relative_to(self.html.resolve())
            for url in scan.links:
                if url.startswith("#"):
                    if url[1:] and url[1:] not in scan.ids:
                        problems.append(f"{rel}: link to {url}: no such anchor on the page")
                    continue
                check(str(rel), page.parent, url)
        for js, urls in self.navtree_links().items():
            for url in urls:
                check(f"sidebar data {js.name}", self.html.resolve(), url)
        return problems


def _js_array(text: str, name: str):
    """The array literal `var NAME = [...];` of a Doxygen sidebar file, as Python lists."""
    m = re.search(r"var %s =\s*(\[.*?\]);\s*(?:var |$)" % re.escape(name), text, re.S)
    return json.loads(m.group(1)) if m else None


def sidebar_children(site: Site) -> dict[str, list[str]]:
    """page file -> the pages listed right under it in the sidebar (anchors left out)."""
    tree: dict[str, list[str]] = {}

    def pages(entries) -> list[str]:
        return [e[1] for e in entries or [] if "#" not in e[1]]

    navtree = _js_array((site.html / "navtreedata.js").read_text(encoding="utf-8"), "NAVTREE")
    if navtree:
        root = navtree[0]
        tree[root[1]] = pages(root[2] if isinstance(root[2], list) else [])
    for js in site.html.glob("*.js"):
        var = js.stem
        entries = _js_array(js.read_text(encoding="utf-8", errors="replace"), var)
        if isinstance(entries, list) and all(isinstance(e, list) and len(e) == 3 for e in entries):
            tree[f"{var}.html"] = pages(entries)
    # Children written inline (not in a file of their own) are nested lists.
    def walk(entries):
        for title, url, children in entries:
            if isinstance(children, list):
                tree.setdefault(url.split("#")[0], pages(children))
                walk(children)
    if navtree:
        walk(navtree)
    return tree


def check_course(site: Site, course_root: Path) -> list[str]:
    course = load_course(course_root)
    problems = [f"course: {p}" for p in course.problems]
    tree = sidebar_children(site)
    top = tree.get("index.html", [])
    for lesson in course.lessons:
        page = site.page(f"{lesson.label}.html")
        if page is None:
            problems.append(f"lesson {lesson.dirname}: no page {lesson.label}.html")
            continue
        if normalized(lesson.page_title) not in normalized(" ".join(page.text)):
            problems.append(f"lesson {lesson.dirname}: page lacks its title {lesson.page_title!r}")
        if f"{lesson.label}.html" not in top:
            problems.append(f"lesson {lesson.dirname}: not at the top of the sidebar")
        for ex in lesson.exercises:
            if f"{ex.label}.html" not in tree.get(f"{lesson.label}.html", []):
                problems.append(f"exercise {ex.id}: not under its lesson in the sidebar")
    order = [f"{l.label}.html" for l in course.lessons]
    listed = [p for p in top if p in order]
    if listed != order:
        problems.append(f"sidebar lessons out of course order: {listed}")
    for ex in course.exercises:
        page = site.page(f"{ex.label}.html")
        if page is None:
            problems.append(f"exercise {ex.id}: no page {ex.label}.html")
            continue
        text = normalized(" ".join(page.text))
        for what, expected in (("title", ex.page_title), ("Go idea", ex.go_idea)):
            if expected and rendered(expected) not in text:
                problems.append(f"exercise {ex.id}: page lacks its {what} {expected!r}")
        folded = [normalized(h) for h in page.hints]
        for n, hint in enumerate(ex.hints, 1):
            if not any(rendered(hint) in f for f in folded):
                problems.append(f"exercise {ex.id}: hint {n} is not in a folded <details class=\"hint\">")
    return problems


# -- the runtime's public names ----------------------------------------------
def public_names(xml_dir: Path) -> dict[tuple[str, str, str], str]:
    """(compound, name, args) -> id for every public name in namespace goc (not detail)."""
    names = {}
    index = ET.parse(xml_dir / "index.xml").getroot()
    for compound in index.findall("compound"):
        kind, name = compound.get("kind"), compound.findtext("name")
        if kind not in ("class", "struct", "namespace", "union"):
            continue
        if not (name == "goc" or name.startswith("goc::")) or "detail" in name.split("::"):
            continue
        definition = ET.parse(xml_dir / f"{compound.get('refid')}.xml").getroot().find("compounddef")
        if kind != "namespace":
            names[(name, "", "")] = compound.get("refid")
        for member in definition.iter("memberdef"):
            if member.get("prot") != "public":
                continue
            args = member.findtext("argsstring") or ""
            names[(name, member.findtext("name"), args)] = member.get("id")
    return names


def documented(xml_dir: Path, ref: str) -> bool:
    """Whether the site's XML has a description for the compound or member `ref`."""
    compound = ref.rsplit("_1", 1)[0] if re.search(r"_1[a-f0-9]{33}$", ref) else ref
    path = xml_dir / f"{compound}.xml"
    if not path.exists():
        return False
    root = ET.parse(path).getroot()
    node = root.find(f".//memberdef[@id='{ref}']") if compound != ref else root.find("compounddef")
    if node is None:
        return False
    text = "".join(node.find("briefdescription").itertext()) + "".join(
        node.find("detaileddescription").itertext())
    return bool(text.strip())


def href_of(ref: str) -> str:
    m = re.match(r"^(.*)_1([a-f0-9]{33})$", ref)
    return f"{m.group(1)}.html#{m.group(2)}" if m else f"{ref}.html"


def check_runtime_names(site: Site, doxyfile: Path, doxygen: str) -> list[str]:
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        config = (f'@INCLUDE = "{doxyfile}"\nOUTPUT_DIRECTORY = "{tmp}"\nEXTRACT_ALL = YES\n'
                  "GENERATE_HTML = NO\nGENERATE_XML = YES\nWARNINGS = NO\nWARN_AS_ERROR = NO\n"
                  'LAYOUT_FILE =\nINPUT = "' + "\" \"".join(_runtime_inputs(doxyfile)) + '"\n')
        subprocess.run([doxygen, "-"], input=config, text=True, check=True, cwd=tmp,
                       stdout=subprocess.DEVNULL)
        inventory = public_names(Path(tmp) / "xml")
    if not inventory:
        return ["runtime: the inventory run found no public name in namespace goc"]

    api = site.page("api_reference.html")
    api_links = {link.split("/")[-1] for link in api.links} if api else set()
    if api is None:
        problems.append("runtime: no api_reference.html page")
    linked_names = set()
    for (compound, name, args), ref in sorted(inventory.items()):
        shown = f"{compound}::{name}{args}" if name else compound
        special = "=delete" in args.replace(" ", "") or "=default" in args.replace(" ", "")
        if not special and not documented(site.xml, ref):
            problems.append(f"runtime: {shown} is not documented on the site")
        if href_of(ref) in api_links:
            linked_names.add((compound, name))
    for compound, name in sorted({(c, n) for (c, n, a) in inventory
                                  if "=delete" not in a.replace(" ", "")
                                  and "=default" not in a.replace(" ", "")}):
        if (compound, name) not in linked_names:
            shown = f"{compound}::{name}" if name else compound
            problems.append(f"runtime: the API reference page does not link to {shown}")
    return problems


def _runtime_inputs(doxyfile: Path) -> list[str]:
    """The INPUT of the configured base Doxyfile: the runtime headers."""
    text = doxyfile.read_text(encoding="utf-8")
    m = re.search(r"^INPUT\s*=\s*(.+)$", text, re.M)
    return m.group(1).split() if m else []


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--site", required=True, type=Path)
    ap.add_argument("--course-root", required=True, type=Path)
    ap.add_argument("--doxyfile", required=True, type=Path)
    ap.add_argument("--doxygen", default="doxygen")
    args = ap.parse_args()

    if not (args.site / "html" / "index.html").exists():
        print(f"FAILED: no site at {args.site}: build it first (the docs target)")
        return 1
    site = Site(args.site)
    sections = [("internal links", site.broken_links()),
                ("lessons and exercises", check_course(site, args.course_root)),
                ("runtime names", check_runtime_names(site, args.doxyfile.resolve(), args.doxygen))]
    failed = False
    for title, problems in sections:
        print(f"{title}: {'ok' if not problems else f'{len(problems)} problem(s)'}")
        for p in problems:
            print(f"  FAILED: {p}")
        failed |= bool(problems)
    print(f"checked {len(site.pages)} pages")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
