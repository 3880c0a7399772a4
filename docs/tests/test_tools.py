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
import check_dom  # noqa: E402
import check_site  # noqa: E402
from course_tree import load_course  # noqa: E402
from go_pairs import PairWriter, go_html, split_pairs  # noqa: E402
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


class GoBesideCpp(TempDirTest):
    EXCERPT = textwrap.dedent("""\
          // Start the worker.
          //
          // Go:
          //     go func() {
          //         out <- 1
          //     }()
          goc::go([=] { out.send(1); });
          // Go: v := <-out
          int v = out.recv();  // Go: not a pair, a remark at the end of a line
        """).splitlines()

    def test_each_go_comment_pairs_with_the_cpp_that_follows_it_without_the_comment(self):
        pairs = split_pairs(self.EXCERPT)
        self.assertEqual([p.go for p in pairs],
                         [["go func() {", "    out <- 1", "}()"], ["v := <-out"]])
        self.assertEqual(pairs[0].cpp, ["// Start the worker.", "goc::go([=] { out.send(1); });"])
        self.assertEqual(pairs[1].cpp,
                         ["int v = out.recv();  // Go: not a pair, a remark at the end of a line"])

    def test_cpp_before_the_first_go_comment_stands_alone(self):
        pairs = split_pairs(["int helper();", "", "// Go: x := helper()", "int x = helper();"])
        self.assertEqual([(p.go, p.cpp) for p in pairs],
                         [([], ["int helper();"]), (["x := helper()"], ["int x = helper();"])])

    def test_an_excerpt_without_a_go_comment_has_no_pairs(self):
        self.assertEqual(split_pairs(["// Go's <-ch receives.", "int v = ch.recv();"]), [])

    def test_go_code_is_highlighted_and_escaped(self):
        shown = go_html(['v := <-ch // "x"', 'for s := range "a<b" {'])
        self.assertIn('<span class="comment">// "x"</span>', shown)
        self.assertIn("v := &lt;-ch", shown)
        self.assertIn('<span class="keywordflow">for</span>', shown)
        self.assertIn('<span class="stringliteral">"a&lt;b"</span>', shown)

    def rewrite_with_pairs(self, source: str) -> tuple[str, Path]:
        write(self.root / "exercises/manifest.toml", "")
        write(self.root / "lessons/01-first/examples/a.cpp", source)
        readme = write(self.root / "lessons/01-first/README.md", """\
            # First {#lesson_first}
            <!-- snippet: examples/a.cpp [t] -->
            ```cpp
            int x;
            ```
            """)
        course = load_course(self.root)
        generated = self.root / "generated"
        pairs = PairWriter(generated / "pairs", generated)
        lesson = course.lessons[0]
        rewriter = PageRewriter(course, readme, lesson.label, lesson.page_title, pairs=pairs)
        return rewriter.rewrite(readme.read_text()), generated / "pairs"

    def test_a_snippet_with_go_becomes_pairs_whose_cpp_is_generated_from_the_program(self):
        out, folder = self.rewrite_with_pairs(
            "int main() {\n  //! [t]\n  // Go: x := 1\n  int x = 1;\n  //! [t]\n}\n")
        self.assertIn('<div class="gopair"><div class="goside">', out)
        self.assertIn("x := 1", out)
        self.assertIn("\\snippet pairs/lesson_first_a_t.cpp pair1", out)
        self.assertEqual((folder / "lesson_first_a_t.cpp").read_text(),
                         "//! [pair1]\nint x = 1;\n//! [pair1]\n")

    def test_a_snippet_without_go_stays_a_snippet(self):
        out, folder = self.rewrite_with_pairs("//! [t]\nint x = 1;\n//! [t]\n")
        self.assertIn("\\snippet lessons/01-first/examples/a.cpp t", out)
        self.assertNotIn("gopair", out)
        self.assertFalse(folder.exists())


class LessonPage(TempDirTest):
    def test_the_exercise_list_joins_the_readme_s_own_exercises_section(self):
        page = "# L {#l}\n## Exercises {#l_exercises}\nDo them.\n## Summary {#l_summary}\n"
        lines = build_site.with_exercise_list(page, "l", ["- \\subpage e1"])
        self.assertEqual(sum(line.startswith("## Exercises") for line in lines), 1)
        self.assertLess(lines.index("- \\subpage e1"), lines.index("## Summary {#l_summary}"))
        self.assertIn("## Exercises {#l__exercises}",
                      build_site.with_exercise_list("# L {#l}\n", "l", ["- x"]))

    def test_lessons_link_to_the_one_before_and_after_from_the_front_page_to_the_first_guide(self):
        for d in ("01-one", "02-two"):
            write(self.root / f"lessons/{d}/README.md", f"# {d}\n")
        write(self.root / "exercises/manifest.toml", "")
        course = load_course(self.root)
        guides = [("student-guide.md", "student_guide", "The student guide")]
        first = "\n".join(build_site.pager(course, course.lessons[0], guides))
        last = "\n".join(build_site.pager(course, course.lessons[1], guides))
        self.assertRegex(first, r'pager-prev.*@ref index .*pager-next.*@ref ' + course.lessons[1].label)
        self.assertRegex(last, r'pager-prev.*@ref ' + course.lessons[0].label + r' .*@ref student_guide')


class LayoutCheck(unittest.TestCase):
    """check_dom.py's verdict on measurements like those measure_pages.js takes."""

    @staticmethod
    def measured(width: int, **changes) -> dict:
        box = lambda l, r, t, b: {"left": l, "right": r, "top": t, "bottom": b, "width": r - l}  # noqa: E731
        side_by_side = width > check_dom.STACKED_MAX
        go = box(10, 300, 0, 100)
        cpp = box(310, 600, 0, 100) if side_by_side else box(10, 300, 110, 200)
        m = {"page": "file:///s/lesson_01.html", "width": width, "viewport": width, "sideways": 0,
             "code": [{"box": box(10, 300, 0, 50), "container": box(0, 320, 0, 50), "scrolls": True,
                       "overflowX": "auto", "text": "int x;"}],
             "pairs": [{"go": go, "cpp": cpp}], "prev": "index.html", "next": "lesson_02.html",
             "exerciseHeadings": 1, "search": True,
             "sidebar": {"textOverflow": "ellipsis", "whiteSpace": "nowrap", "coveredBySync": []},
             "menu": {"button": width <= check_dom.PHONE_MAX, "sidebarBefore": False,
                      "sidebarAfter": True}}
        m.update(changes)
        return m

    def problems(self, m: dict) -> str:
        return "\n".join(check_dom.layout_problems(m, 1, "index.html", "lesson_02.html"))

    def test_a_page_laid_out_as_intended_has_no_problem(self):
        for width in (check_dom.PHONE, check_dom.DESKTOP):
            self.assertEqual(self.problems(self.measured(width)), "")

    def test_code_past_its_box_a_sideways_page_and_missing_links_are_reported(self):
        m = self.measured(check_dom.PHONE, sideways=120, prev=None, exerciseHeadings=2)
        m["code"][0]["box"]["right"] = 500
        found = self.problems(m)
        for words in ("runs past its container", "scrolls sideways", "previous link goes to nowhere",
                      "2 sections called Exercises"):
            self.assertIn(words, found)

    def test_pairs_must_be_side_by_side_on_a_desktop_and_stacked_on_a_phone(self):
        stacked = self.measured(check_dom.PHONE)["pairs"]
        self.assertIn("not side by side", self.problems(self.measured(check_dom.DESKTOP, pairs=stacked)))
        beside = self.measured(check_dom.DESKTOP)["pairs"]
        self.assertIn("not one column after the other",
                      self.problems(self.measured(check_dom.PHONE, pairs=beside)))
        self.assertIn("lacks its C++ column",
                      self.problems(self.measured(check_dom.PHONE, pairs=[{"go": stacked[0]["go"], "cpp": None}])))

    def test_a_phone_needs_a_menu_and_a_desktop_sidebar_an_ellipsis_and_an_uncovered_entry(self):
        phone = self.measured(check_dom.PHONE, menu={"button": False, "sidebarBefore": False,
                                                     "sidebarAfter": False}, search=False)
        self.assertIn("no Menu button", self.problems(phone))
        self.assertIn("no search box", self.problems(phone))
        desktop = self.measured(check_dom.DESKTOP, sidebar={"textOverflow": "clip", "whiteSpace": "normal",
                                                            "coveredBySync": ["How to work"]})
        self.assertIn("ellipsis", self.problems(desktop))
        self.assertIn("sync button covers", self.problems(desktop))


class ManifestText(unittest.TestCase):
    def test_hints_show_as_written_with_code_spans_as_code(self):
        self.assertEqual(build_site.inline_html("use `Channel<int>` and [&](int v) {}"),
                         "use <code>Channel&lt;int&gt;</code> and [&amp;](int v) {}")


if __name__ == "__main__":
    unittest.main()
