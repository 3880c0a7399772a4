"""Go beside C++: splits an excerpt of a lesson program into Go/C++ pairs.

The lesson programs say what Go would write in a comment right above the C++
that does the same:

    // Go:                              // Go: go slowSquare(7, answers)
    //     func slowSquare(n int) {     goc::go(slow_square, 7, answers);
    //     ...

An excerpt (a `//! [tag]` region) with such comments becomes a list of pairs,
one per Go comment: the Go code, and the C++ from the comments that lead up to
it to the next pair, without the Go comment (C++ before the first Go comment
stands alone). The site shows each pair as two
columns (one after the other on a phone), so the Go is read as code, not as a
grey comment. An excerpt without a Go comment stays an ordinary `\\snippet`.

A one-line `// Go: ...` comment is Go code; a remark about Go is written
another way ("Go's `<-ch`", "as in Go").
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

GO_BLOCK_RE = re.compile(r"^\s*//\s*Go:\s*$")             # "// Go:" then indented lines
GO_LINE_RE = re.compile(r"^\s*//\s*Go:\s+(\S.*?)\s*$")    # "// Go: code"
GO_BODY_RE = re.compile(r"^\s*//( {2,}\S.*|\s*)$")        # "//     code" or an empty "//"
COMMENT_RE = re.compile(r"^\s*//")
MARKER_RE = re.compile(r"^\s*//!\s*\[[^\]]*\]\s*$")

GO_KEYWORDS = {"break", "case", "const", "continue", "default", "defer", "else",
               "fallthrough", "for", "goto", "if", "range", "return", "select", "switch"}
GO_DECLARATIONS = {"chan", "func", "go", "import", "interface", "map", "package",
                   "struct", "type", "var"}
GO_TYPES = {"bool", "byte", "error", "float32", "float64", "int", "int32", "int64",
            "rune", "string", "uint", "uint32", "uint64", "any"}
GO_TOKEN_RE = re.compile(r'(?P<comment>//.*)|(?P<string>"(?:\\.|[^"\\])*"|`[^`]*`|'
                         r"'(?:\\.|[^'\\])+')|(?P<word>[A-Za-z_]\w*)|(?P<other>.)")


@dataclass
class Pair:
    go: list[str]    # Go lines, without the comment markers, dedented ([]: C++ alone)
    cpp: list[str]   # C++ lines without the Go comment, dedented


def snippet_lines(source: Path, tag: str) -> list[str] | None:
    """The lines between the two `//! [tag]` markers of source (None without both)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    marks = [i for i, line in enumerate(lines) if re.match(rf"^\s*//!\s*\[{re.escape(tag)}\]\s*$", line)]
    if len(marks) < 2:
        return None
    return [line for line in lines[marks[0] + 1:marks[1]] if not MARKER_RE.match(line)]


def _go_comments(lines: list[str]) -> list[tuple[int, int, list[str]]]:
    """(first line, line after the last, Go code) of every Go comment in lines."""
    found, i = [], 0
    while i < len(lines):
        one_line = GO_LINE_RE.match(lines[i])
        if one_line:
            found.append((i, i + 1, [one_line.group(1)]))
            i += 1
        elif GO_BLOCK_RE.match(lines[i]):
            j = i + 1
            while j < len(lines) and GO_BODY_RE.match(lines[j]):
                j += 1
            while j > i + 1 and not lines[j - 1].strip("/ \t"):
                j -= 1   # a trailing empty "//" belongs to neither side
            body = [re.sub(r"^\s*//", "", line) for line in lines[i + 1:j]]
            found.append((i, j, textwrap.dedent("\n".join(body)).splitlines()))
            i = j
        else:
            i += 1
    return [f for f in found if any(line.strip() for line in f[2])]


def _lead_in(lines: list[str], start: int, floor: int) -> int:
    """Where the run of comment lines that ends at lines[start] begins (not before floor)."""
    while start > floor and COMMENT_RE.match(lines[start - 1]):
        start -= 1
    return start


def _dedented(lines: list[str]) -> list[str]:
    while lines and not lines[0].strip():
        lines = lines[1:]
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return textwrap.dedent("\n".join(lines)).splitlines()


def split_pairs(lines: list[str]) -> list[Pair]:
    """The excerpt's Go/C++ pairs, in order; [] when it has no Go comment."""
    comments = _go_comments(lines)
    if not comments:
        return []
    starts = [_lead_in(lines, comments[0][0], 0)]
    starts += [_lead_in(lines, start, previous[1])
               for previous, (start, _, _) in zip(comments, comments[1:])] + [len(lines)]
    # C++ before the first Go comment has no Go beside it: a pair with no Go.
    pairs = [Pair(go=[], cpp=_dedented(lines[:starts[0]]))] if _dedented(lines[:starts[0]]) else []
    for n, (start, end, go) in enumerate(comments):
        before = lines[starts[n]:start]
        if before and before[-1].strip() == "//":
            before = before[:-1]   # the empty comment line that led into the Go
        pairs.append(Pair(go=go, cpp=_dedented(before + lines[end:starts[n + 1]])))
    return pairs


def go_html(lines: list[str]) -> str:
    """Go code as a highlighted code block, in the classes Doxygen gives C++ tokens."""
    out = []
    for line in lines:
        spans = []
        for m in GO_TOKEN_RE.finditer(line):
            text = html.escape(m.group(0), quote=False)
            if m.lastgroup == "comment":
                spans.append(f'<span class="comment">{text}</span>')
            elif m.lastgroup == "string":
                spans.append(f'<span class="stringliteral">{text}</span>')
            elif m.lastgroup == "word" and m.group(0) in GO_KEYWORDS:
                spans.append(f'<span class="keywordflow">{text}</span>')
            elif m.lastgroup == "word" and m.group(0) in GO_DECLARATIONS:
                spans.append(f'<span class="keyword">{text}</span>')
            elif m.lastgroup == "word" and m.group(0) in GO_TYPES:
                spans.append(f'<span class="keywordtype">{text}</span>')
            else:
                spans.append(text)
        out.append(f'<div class="line">{"".join(spans)}</div>')
    return '<div class="fragment go">' + "".join(out) + "</div>"


class PairWriter:
    """Writes each excerpt's C++ halves into one generated source file (where
    Doxygen highlights them and links the runtime's names) and gives the page
    text that shows the pairs."""

    def __init__(self, folder: Path, example_root: Path):
        self.folder = folder              # where the generated sources go
        self.example_root = example_root  # the EXAMPLE_PATH entry that holds folder

    def page_text(self, owner_label: str, source: Path, tag: str,
                  html_block) -> list[str] | None:
        """The lines of page text for source's excerpt tag, or None when it has no Go."""
        lines = snippet_lines(source, tag)
        pairs = split_pairs(lines) if lines is not None else []
        if not pairs:
            return None
        name = re.sub(r"[^A-Za-z0-9]+", "_", f"{owner_label}__{source.stem}__{tag}") + ".cpp"
        body = []
        for n, pair in enumerate(pairs, 1):
            body += [f"//! [pair{n}]", *pair.cpp, f"//! [pair{n}]"]
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / name).write_text("\n".join(body) + "\n", encoding="utf-8")
        shown = (self.folder / name).relative_to(self.example_root).as_posix()
        out = [html_block(f'<div class="gopairs" id="pairs_{Path(name).stem}">')]
        for n, pair in enumerate(pairs, 1):
            if not pair.go:
                out.append(f"\\snippet {shown} pair{n}")
                continue
            out += [html_block('<div class="gopair"><div class="goside">'
                               '<div class="pairlabel">Go</div>' + go_html(pair.go)
                               + '</div><div class="cppside"><div class="pairlabel">C++</div>'),
                    f"\\snippet {shown} pair{n}",
                    html_block("</div></div>")]
        return out + [html_block("</div>"), ""]
