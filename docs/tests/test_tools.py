"""Unit tests of the docs tools: the checks must catch what they claim to catch,
and the README rewrite must keep code untouched. Run: python3 -m unittest (from
docs/tests), or through CTest (label docs)."""

import sys
import tempfile
import textwrap
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))

import build_site  # noqa: E402
import check_site  # noqa: E402
from course_tree import load_course  # noqa: E402
from notes_markdown import PageRewriter  # noqa: E402


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.root = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()


class LinkCheck(TempDirTest):
    def make_site(self, index_body: str, navtree: str) -> check_site.Site:
        html = self.root / "site" / "html"
        write(html / "index.html", f"<html><body>{index_body}</body></html>")
        write(html / "page.html", '<html><body><a id="here"></a></body></html>')
        write(html / "navtreedata.js", navtree)
        return check_site.Site(self.root / "site")

    def test_a_link_to_a_missing_page_or_anchor_is_reported(self):
        site = self.make_site('<a href="missing.html">x</a> <a href="page.html#nope">y</a>'
                              '<a href="#absent">z</a>',
                              'var NAVTREE =\n[\n  [ "Home", "index.html", [\n'
                              '    [ "Gone", "gone.html", null ]\n  ] ]\n];\n')
        problems = "\n".join(site.broken_links())
        self.assertIn("missing.html: no such file", problems)
        self.assertIn("#nope", problems)
        self.assertIn("#absent", problems)
        self.assertIn("gone.html", problems)

    def test_links_that_resolve_are_not_reported(self):
        site = self.make_site('<a href="page.html#here">x</a> <a href="https://go.dev/">go</a>',
                              'var NAVTREE =\n[\n  [ "Home", "index.html", [\n'
                              '    [ "Page", "page.html", null ]\n  ] ]\n];\n')
        self.assertEqual(site.broken_links(), [])

    def test_the_sidebar_tree_is_read_with_nested_children(self):
        site = self.make_site("", 'var NAVTREE =\n[\n  [ "Home", "index.html", [\n'
                                  '    [ "L1", "lesson_01.html", [\n'
                                  '      [ "Sec", "lesson_01.html#sec", null ],\n'
                                  '      [ "Ex", "exercise_01_01.html", null ]\n    ] ],\n'
                                  '    [ "L2", "lesson_02.html", "lesson_02" ]\n  ] ]\n];\n')
        tree = check_site.sidebar_children(site)
        self.assertEqual(tree["index.html"], ["lesson_01.html", "lesson_02.html"])
        self.assertEqual(tree["lesson_01.html"], ["exercise_01_01.html"])


class CourseCheck(TempDirTest):
    def test_a_lesson_or_exercise_without_a_page_is_reported(self):
        write(self.root / "lessons/01-first/README.md", "# First {#lesson_first}\n")
        write(self.root / "exercises/manifest.toml", """
            [[exercise]]
            id = "01-first/01-one"
            title = "One"
            lesson = "01-first"
            hints = ["h"]
            """)
        html = self.root / "site" / "html"
        write(html / "index.html", "<html></html>")
        write(html / "navtreedata.js", 'var NAVTREE =\n[\n  [ "Home", "index.html", [\n  ] ]\n];\n')
        problems = "\n".join(check_site.check_course(check_site.Site(self.root / "site"), self.root))
        self.assertIn("lesson 01-first: no page lesson_first.html", problems)
        self.assertIn("exercise 01-first/01-one: no page exercise_01_01.html", problems)

    def test_a_malformed_manifest_entry_is_a_problem(self):
        write(self.root / "exercises/manifest.toml", '[[exercise]]\nid = "bad id"\n')
        self.assertTrue(any("bad id" in p for p in load_course(self.root).problems))


class ReadmeRewrite(TempDirTest):
    def rewrite(self, readme_text: str) -> tuple[str, PageRewriter]:
        write(self.root / "exercises/manifest.toml", """
            [[exercise]]
            id = "01-first/01-one"
            title = "One"
            lesson = "01-first"
            """)
        write(self.root / "exercises/01-first/01-one/README.md", "# One\n")
        write(self.root / "lessons/01-first/examples/a.cpp", "//! [t]\nint x;\n//! [t]\n")
        readme = write(self.root / "lessons/01-first/README.md", readme_text)
        course = load_course(self.root)
        lesson = course.lessons[0]
        rewriter = PageRewriter(course, readme, lesson.label, lesson.page_title, lesson.exercises)
        return rewriter.rewrite(readme.read_text()), rewriter

    def test_github_links_become_doxygen_references_and_the_exercise_a_subpage(self):
        out, rewriter = self.rewrite("""\
            # First {#lesson_first}
            See [below](#the-part), [the program](examples/a.cpp) and
            [exercise one](../../exercises/01-first/01-one/README.md).
            ## The part
            """)
        self.assertIn("[below](@ref lesson_first_the_part)", out)
        self.assertIn("[the program](@ref lesson_first_file_examples_a_cpp)", out)
        self.assertIn('\\subpage exercise_01_01 "exercise one"', out)
        self.assertIn("## The part {#lesson_first_the_part}", out)
        self.assertEqual(rewriter.claimed_subpages, ["exercise_01_01"])

    def test_a_snippet_marker_replaces_the_fenced_copy_with_the_compiled_code(self):
        out, _ = self.rewrite("""\
            # First {#lesson_first}
            <!-- snippet: examples/a.cpp [t] -->
            ```cpp
            int x;
            ```
            """)
        self.assertIn("\\snippet lessons/01-first/examples/a.cpp t", out)
        self.assertNotIn("```", out)

    def test_code_is_never_rewritten(self):
        out, _ = self.rewrite("""\
            # First {#lesson_first}
            Use `[x](#y)` literally.
            ```cpp
            // [a link](#nowhere) and <details>
            ```
            """)
        self.assertIn("Use `[x](#y)` literally.", out)
        self.assertIn("// [a link](#nowhere) and <details>", out)

    def test_folds_and_callouts_become_html_doxygen_keeps_whole(self):
        out, _ = self.rewrite("""\
            # First {#lesson_first}
            > **Pitfall:** a race.

            <details>
            <summary>More</summary>

            Text.

            </details>
            """)
        self.assertIn('\\htmlonly[block]<div class="callout pitfall">\\endhtmlonly', out)
        self.assertIn('\\htmlonly[block]<details class="fold">\\endhtmlonly', out)
        self.assertIn("\\htmlonly[block]</details>\\endhtmlonly", out)


class ManifestText(unittest.TestCase):
    def test_hints_show_as_written_with_code_spans_as_code(self):
        self.assertEqual(build_site.inline_html("use `Channel<int>` and [&](int v) {}"),
                         "use <code>Channel&lt;int&gt;</code> and [&amp;](int v) {}")


if __name__ == "__main__":
    unittest.main()
