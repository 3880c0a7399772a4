"""Turns a README written for GitHub into a page Doxygen 1.9.4 renders well.

Lesson and exercise READMEs are written once and read in two places: on
GitHub and on the course-notes site. Doxygen needs a few things GitHub does
not, and this module adds them to a copy of the README (the original is never
changed):

- the first `# Title` gets the page's label (`{#lesson_01_goroutines}`), and
  every other heading a label derived from GitHub's anchor, so that GitHub
  style links `[x](#some-heading)` keep working;
- relative links to another lesson, an exercise, an example program or a
  runtime header become Doxygen references; a lesson's first link to one of its
  own exercises becomes a `\\subpage`, which puts the exercise under the lesson
  in the sidebar;
- `\\snippet` / `\\include` paths written relative to the README are made
  unambiguous (relative to the course root, which is on EXAMPLE_PATH);
  `<!-- snippet: examples/x.cpp tag -->` or `<!-- include: examples/x.cpp -->`
  in front of a fenced block replaces the block with that code, so a README
  reads well on GitHub and the site still shows the compiled code; an excerpt
  with a `// Go:` comment is shown as Go/C++ pairs (docs/tools/go_pairs.py);
- `<details>` folds and GitHub alerts / `> **Pitfall:**` quotes become HTML the
  stylesheet knows (Doxygen 1.9.4 splits a raw `<details>` at blank lines).

Line-based on purpose: the rewrite never touches fenced code or code spans.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

from course_tree import Course, Exercise, doxygen_label
from go_pairs import PairWriter

FENCE_RE = re.compile(r"^\s*(```+|~~~+)")
ATX_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
EXPLICIT_LABEL_RE = re.compile(r"\{#([A-Za-z0-9_]+)\}\s*$")
LINK_RE = re.compile(r'(!?)\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]+)>?(\s+"[^"]*")?\s*\)')
CODE_SPAN_RE = re.compile(r"(`+)(.+?)\1")
INCLUDE_CMD_RE = re.compile(
    r"^(\s*[\\@](?:snippet|snippetlineno|snippetdoc|include|includelineno|includedoc|dontinclude)"
    r"(?:\{[^}]*\})?\s+)(\S+)(.*)$")
MARKER_RE = re.compile(r"^\s*<!--\s*(snippet|include)\s*:\s*(\S+)(?:\s+(\S+))?\s*-->\s*$")
DETAILS_OPEN_RE = re.compile(r"^\s*<details(\s[^>]*)?>\s*(?:<summary>(.*?)</summary>)?\s*$", re.I)
SUMMARY_RE = re.compile(r"^\s*<summary>(.*?)</summary>\s*$", re.I)
DETAILS_CLOSE_RE = re.compile(r"^\s*</details>\s*$", re.I)

# Blockquotes that open with one of these become a callout of that kind.
CALLOUT_STARTS = [
    (re.compile(r"^\[!(WARNING|CAUTION)\]\s*$", re.I), "pitfall", "Pitfall"),
    (re.compile(r"^\[!(NOTE|TIP|IMPORTANT)\]\s*$", re.I), "note", "Note"),
    (re.compile(r"^\*\*(Pitfall|Bug|Careful|Warning)\b[^*]*\*\*", re.I), "pitfall", None),
    (re.compile(r"^\*\*(Go equivalent|In Go|Go)\b[^*]*\*\*", re.I), "goequiv", None),
]


def html_block(html: str) -> str:
    """Raw HTML that Doxygen passes through without wrapping it in a paragraph."""
    return f"\\htmlonly[block]{html}\\endhtmlonly"


def github_slug(heading_text: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = LINK_RE.sub(lambda m: m.group(2), heading_text)
    text = re.sub(r"[`*]", "", text).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def fenced_or_code(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside (or opens/closes) a fenced code block."""
    flags, fence = [], None
    for line in lines:
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)[0] * 3
            flags.append(True)
        elif fence is not None:
            flags.append(True)
            if line.strip().startswith(fence):
                fence = None
        else:
            flags.append(False)
    return flags


def heading_labels(text: str, page_label: str) -> tuple[int | None, dict[str, str]]:
    """The first level-1 heading's line (or None) and GitHub slug -> Doxygen label for the others."""
    lines = text.splitlines()
    in_code = fenced_or_code(lines)
    title_line, labels, counts = None, {}, {}
    for i, line in enumerate(lines):
        if in_code[i]:
            continue
        m = ATX_RE.match(line)
        if not m:
            continue
        if title_line is None and len(m.group(1)) == 1:
            title_line = i
            continue
        explicit = EXPLICIT_LABEL_RE.search(m.group(2))
        heading = EXPLICIT_LABEL_RE.sub("", m.group(2)).strip()
        slug = github_slug(heading)
        n = counts.get(slug, 0)
        counts[slug] = n + 1
        if n:
            slug = f"{slug}-{n}"
        labels[slug] = explicit.group(1) if explicit else f"{page_label}_{doxygen_label(slug) or 'section'}"
    return title_line, labels


def example_anchor(owner_label: str, relative: str) -> str:
    """The anchor of a source listing on its lesson or exercise page."""
    return f"{owner_label}_file_{doxygen_label(relative)}"


class PageRewriter:
    """Rewrites one README (of a lesson or an exercise) for Doxygen."""

    def __init__(self, course: Course, source: Path, label: str, title: str,
                 own_exercises: list[Exercise] | None = None, pairs: PairWriter | None = None):
        self.course = course
        self.pairs = pairs   # shows excerpts with a `// Go:` comment as Go/C++ pairs
        self.source = source
        self.label = label
        self.title = title
        self.own_exercises = {e.label for e in own_exercises or []}
        self.claimed_subpages: list[str] = []
        self.notes: list[str] = []   # links that could not be kept; printed by the builder
        self._slug_cache: dict[Path, dict[str, str]] = {}

    # -- resolving what a README points at -------------------------------
    def _labels_of(self, readme: Path, page_label: str) -> dict[str, str]:
        if readme not in self._slug_cache:
            _, labels = heading_labels(readme.read_text(encoding="utf-8"), page_label)
            self._slug_cache[readme] = labels
        return self._slug_cache[readme]

    def _course_relative(self, target: str) -> str | None:
        path = Path(os.path.normpath(self.source.parent / unquote(target)))
        try:
            return path.relative_to(self.course.root).as_posix()
        except ValueError:
            return None

    def resolve(self, target: str) -> tuple[str, str] | None:
        """(kind, Doxygen label) for a link target inside the course, or None to keep it."""
        if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target) or target.startswith(("//", "@ref", "\\ref")):
            return None
        path, _, fragment = target.partition("#")
        if not path:
            labels = self._labels_of(self.source, self.label)
            return ("anchor", labels[fragment]) if fragment in labels else None
        rel = self._course_relative(path)
        if rel is None:
            return None
        rel = rel.rstrip("/")
        for lesson in self.course.lessons:
            base = f"lessons/{lesson.dirname}"
            if rel in (base, f"{base}/README.md"):
                return self._page_link(lesson.label, lesson.readme, fragment)
            for example in lesson.examples:
                if rel == example.relative_to(self.course.root).as_posix():
                    return ("anchor", example_anchor(lesson.label, example.relative_to(
                        lesson.readme.parent).as_posix()))
        for ex in self.course.exercises:
            base = f"exercises/{ex.id}"
            if rel in (base, f"{base}/README.md"):
                return self._page_link(ex.label, ex.readme, fragment)
            if rel.startswith(base + "/") and (self.course.root / rel).is_file():
                return ("anchor", example_anchor(ex.label, rel[len(base) + 1:]))
        if re.match(r"^runtime/include/goc/[a-z_]+\.hpp$", rel) or rel.startswith("runtime"):
            return ("page", "api_reference")
        return ("unlinked", rel)

    def _page_link(self, label: str, readme: Path | None, fragment: str) -> tuple[str, str]:
        if fragment and readme is not None:
            anchor = self._labels_of(readme, label).get(fragment)
            if anchor:
                return ("anchor", anchor)
        return ("page", label)

    # -- rewriting one line ------------------------------------------------
    def _rewrite_links(self, text: str) -> str:
        def replace(m: re.Match) -> str:
            bang, label_text, target = m.group(1), m.group(2), m.group(3)
            if bang:
                return m.group(0)  # images: Doxygen finds them through IMAGE_PATH
            resolved = self.resolve(target)
            if resolved is None:
                return m.group(0)
            kind, where = resolved
            if kind == "unlinked":
                self.notes.append(f"{self.source}: link to {target} (not on the site) shown as text")
                return label_text
            if kind == "page" and where in self.own_exercises and where not in self.claimed_subpages:
                self.claimed_subpages.append(where)
                plain = re.sub(r"[`*_\"]", "", label_text).strip()
                return f'\\subpage {where} "{plain}"'
            return f"[{label_text}](@ref {where})"

        # Links that start inside a code span are code, not links.
        spans = [(s.start(), s.end()) for s in CODE_SPAN_RE.finditer(text)]
        out, pos = [], 0
        for m in LINK_RE.finditer(text):
            if any(a <= m.start() < b for a, b in spans):
                continue
            out += [text[pos:m.start()], replace(m)]
            pos = m.end()
        out.append(text[pos:])
        return "".join(out)

    def _example_path(self, written: str) -> str:
        """A \\snippet/\\include path as the course root sees it, when the file exists."""
        candidate = self.source.parent / written
        if candidate.is_file():
            return candidate.resolve().relative_to(self.course.root).as_posix()
        # A bare file name: look for it among this README's own examples.
        matches = [p for p in self.source.parent.rglob(Path(written).name)
                   if p.is_file() and p.as_posix().endswith(written)]
        if len(matches) == 1:
            return matches[0].resolve().relative_to(self.course.root).as_posix()
        return written

    # -- the whole page ----------------------------------------------------
    def rewrite(self, text: str, keep_title: bool = True) -> str:
        lines = text.splitlines()
        in_code = fenced_or_code(lines)
        title_line, labels = heading_labels(text, self.label)
        slugs_in_order = iter(labels.values())
        out: list[str] = []
        if title_line is None and keep_title:
            out += [f"# {self.title} {{#{self.label}}}", ""]
        i = 0
        while i < len(lines):
            line = lines[i]
            if in_code[i]:
                out.append(line)
                i += 1
                continue
            marker = MARKER_RE.match(line)
            if marker:
                j = i + 1
                while j < len(lines) and not lines[j].strip():
                    j += 1
                if j < len(lines) and FENCE_RE.match(lines[j]):
                    kind, path, tag = marker.groups()
                    path = self._example_path(path)
                    tag = (tag or "").strip("[]")  # `[tag]` and `tag` both name //! [tag]
                    out += (self._snippet(path, tag) if kind == "snippet" and tag
                            else [f"\\include {path}"])
                    j += 1
                    while j < len(lines) and in_code[j] and not FENCE_RE.match(lines[j]):
                        j += 1
                    i = j + 1
                    continue
            heading = ATX_RE.match(line)
            if heading:
                if i == title_line:
                    if keep_title:
                        out.append(f"# {self.title} {{#{self.label}}}")
                    i += 1
                    continue
                label = next(slugs_in_order)
                body = EXPLICIT_LABEL_RE.sub("", heading.group(2)).strip()
                # Without its title (an exercise page) a README's other level-1
                # headings become sections of the generated page.
                level = heading.group(1) if keep_title else "#" * max(2, len(heading.group(1)))
                out.append(f"{level} {self._rewrite_links(body)} {{#{label}}}")
                i += 1
                continue
            include = INCLUDE_CMD_RE.match(line)
            if include and include.group(1).strip() in ("\\snippet", "@snippet") and include.group(3).strip():
                out += self._snippet(self._example_path(include.group(2)), include.group(3).strip().strip("[]"))
                i += 1
                continue
            if include:
                out.append(include.group(1) + self._example_path(include.group(2)) + include.group(3))
                i += 1
                continue
            if line.lstrip().startswith(">"):
                j = i
                while j < len(lines) and lines[j].lstrip().startswith(">") and not in_code[j]:
                    j += 1
                out += self._quote(lines[i:j])
                i = j
                continue
            m = DETAILS_OPEN_RE.match(line)
            if m:
                summary = f"<summary>{m.group(2)}</summary>" if m.group(2) else ""
                out.append(html_block(f'<details class="fold">{summary}'))
            elif SUMMARY_RE.match(line):
                out.append(html_block(line.strip()))
            elif DETAILS_CLOSE_RE.match(line):
                out.append(html_block("</details>"))
            else:
                out.append(self._rewrite_links(line))
            i += 1
        return "\n".join(out) + "\n"

    def _snippet(self, path: str, tag: str) -> list[str]:
        """A \\snippet, or its Go/C++ pairs when the excerpt has a `// Go:` comment."""
        source = self.course.root / path
        if self.pairs is not None and source.is_file():
            paired = self.pairs.page_text(self.label, source, tag, html_block)
            if paired is not None:
                return paired
        return [f"\\snippet {path} {tag}"]

    def _quote(self, quote: list[str]) -> list[str]:
        body = [re.sub(r"^\s*> ?", "", q) for q in quote]
        first = body[0].strip()
        for pattern, kind, heading in CALLOUT_STARTS:
            if pattern.match(first):
                if heading is not None or first.startswith("[!"):
                    body = body[1:]
                    if heading:
                        body[:0] = [f"**{heading}.**"]
                return ([html_block(f'<div class="callout {kind}">')]
                        + [self._rewrite_links(b) for b in body]
                        + [html_block("</div>")])
        return [self._rewrite_links(q) for q in quote]
