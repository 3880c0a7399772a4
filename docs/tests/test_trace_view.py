"""Unit tests of the trace drawing (docs/tools/trace_view.py) on a hand-made
trace that follows the goc-trace-1 format (trace_sample.json): what the page
draws, how it escapes what the program named, and how it refuses bad input.
Run: python3 -m unittest test_trace_view (from docs/tests), or through CTest."""

import copy
import json
import sys
import tempfile
import unittest
from html.parser import HTMLParser
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tools"))

import trace_view  # noqa: E402

SAMPLE = HERE / "trace_sample.json"


class Elements(HTMLParser):
    """Every start tag with its attributes, and the page's text, in order."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data

    def with_class(self, name: str) -> list[dict]:
        return [a for _, a in self.tags if name in (a.get("class") or "").split()]


def parsed(trace: dict) -> tuple[str, Elements]:
    text = trace_view.page(trace, "sample")
    p = Elements()
    p.feed(text)
    return text, p


class TraceDrawing(unittest.TestCase):
    def setUp(self):
        self.trace = json.loads(SAMPLE.read_text(encoding="utf-8"))
        self.text, self.page = parsed(self.trace)

    def test_one_lane_per_goroutine_in_sort_order_labelled_with_where_it_started(self):
        lanes = self.page.with_class("lane")
        self.assertEqual([a["data-tid"] for a in lanes], ["1", "2", "3"])
        labels = [a["title"] for a in self.page.with_class("lane-label")]
        self.assertEqual(labels, ["main", 'g2 started at <odd & "name">.cpp:9', "g3 started at pool.cpp:21"])

    def test_every_span_is_a_bar_coloured_by_running_or_by_why_it_blocked(self):
        spans = self.page.with_class("span")
        complete = [e for e in self.trace["traceEvents"] if e["ph"] == "X"]
        self.assertEqual(len(spans), len(complete))
        self.assertEqual(len(self.page.with_class("run")), 6)
        for reason in ("chan-receive", "sleep", "waitgroup-wait"):
            self.assertEqual(len(self.page.with_class(f"reason-{reason}")), 1, reason)
        receive = self.page.with_class("reason-chan-receive")[0]
        self.assertIn("pool.cpp:30", receive["data-detail"])
        self.assertIn("c1", receive["data-detail"])

    def test_arrows_join_a_send_to_its_receive_and_go_to_the_child_and_skip_a_value_never_taken(self):
        flows = self.page.with_class("flow")
        self.assertEqual(len(flows), 3)   # c2#1 stays in its buffer: no receive, no arrow
        handoff = self.page.with_class("handoff")
        self.assertEqual(len(handoff), 1)
        detail = handoff[0]["data-detail"]
        self.assertIn('sent at <odd & "name">.cpp:10', detail)
        self.assertIn("received at pool.cpp:30", detail)
        self.assertIn(": 7", detail)
        spawn = self.page.with_class("spawn")
        self.assertEqual(len(spawn), 2)
        self.assertTrue(any("pool.cpp:21" in a["data-detail"] for a in spawn))
        # An arrow goes from the sender's lane down or up to the receiver's.
        self.assertNotEqual(handoff[0]["y1"], handoff[0]["y2"])

    def test_a_send_made_by_a_select_is_joined_to_its_receive_with_both_source_lines(self):
        trace = copy.deepcopy(self.trace)
        events = trace["traceEvents"]
        send = next(e for e in events if e.get("name") == "send" and e["args"]["chan"] == "c1")
        send["name"] = "select"
        send["args"].update({"op": "send", "case": 0})
        _, page = parsed(trace)
        detail = page.with_class("handoff")[0]["data-detail"]
        self.assertIn('sent at <odd & "name">.cpp:10', detail)
        self.assertIn("received at pool.cpp:30", detail)
        chosen = [a["data-detail"] for a in page.with_class("op-select")]
        self.assertTrue(any("case 0 (send)" in d for d in chosen), chosen)

    def test_a_wait_for_a_thread_after_yield_is_its_own_colour_and_says_it_is_not_blocked(self):
        trace = copy.deepcopy(self.trace)
        events = trace["traceEvents"]
        last = next(e for e in reversed(events) if e.get("cat") == "run" and e["tid"] == 1)
        events.append({"ph": "X", "cat": "block", "name": "runnable", "ts": last["ts"] + last["dur"],
                       "dur": 2, "pid": 1, "tid": 1,
                       "args": {"reason": "runnable", "file": "pool.cpp", "line": 40}})
        text, page = parsed(trace)
        runnable = page.with_class("reason-runnable")
        self.assertEqual(len(runnable), 1)
        self.assertIn("pool.cpp:40", runnable[0]["data-detail"])
        self.assertIn("runnable, waiting for a thread after goc::yield()", runnable[0]["data-detail"])
        self.assertNotIn("blocked on runnable", runnable[0]["data-detail"])
        self.assertIn("runnable (after goc::yield())", text)   # its legend entry
        self.assertIn(".reason-runnable {", text)

    def test_close_and_select_are_marked_where_they_happened(self):
        close = self.page.with_class("op-close")
        select = self.page.with_class("op-select")
        self.assertEqual((len(close), len(select)), (1, 1))
        self.assertIn('<odd & "name">.cpp:11', close[0]["data-detail"])
        self.assertIn("default", select[0]["data-detail"])

    def test_names_from_the_program_are_escaped_in_text_and_attributes(self):
        self.assertNotIn('<odd & "name">', self.text)
        self.assertIn("&lt;odd &amp; &quot;name&quot;&gt;.cpp:9", self.text)

    def test_the_embedded_trace_reads_back_whole_and_cannot_end_its_script_element(self):
        hostile = copy.deepcopy(self.trace)
        hostile["traceEvents"][2]["args"]["name"] = "g2 started at </script><b>x</b>.cpp:1"
        text, page = parsed(hostile)
        self.assertEqual(text.count("</script>"), 2)   # the data's and the code's own
        data = next(a for t, a in page.tags if t == "script" and a.get("id") == "trace-data")
        self.assertEqual(data["type"], "application/json")
        self.assertEqual(json.loads(page.scripts[0]), hostile)

    def test_a_long_sleep_is_drawn_short_on_a_broken_axis(self):
        sleep = self.page.with_class("reason-sleep")[0]
        width = float(sleep["width"])
        self.assertGreater(width, trace_view.STEP_PX)
        self.assertLess(width, 20 * trace_view.STEP_PX)   # 10000 µs among 1 µs steps
        self.assertEqual(len(self.page.with_class("gap")), 2)

    def test_the_page_needs_no_network(self):
        for tag, attrs in self.page.tags:
            for name in ("src", "href"):
                self.assertFalse(str(attrs.get(name, "")).startswith(("http:", "https:", "//")), (tag, attrs))


class BadInput(unittest.TestCase):
    def setUp(self):
        self._tmp = tempfile.TemporaryDirectory()
        self.dir = Path(self._tmp.name)

    def tearDown(self):
        self._tmp.cleanup()

    def refusal(self, text: str) -> str:
        path = self.dir / "trace.json"
        path.write_text(text, encoding="utf-8")
        with self.assertRaises(trace_view.TraceError) as caught:
            trace_view.load(path)
        return str(caught.exception)

    def test_a_cut_off_file_says_to_run_the_program_again(self):
        self.assertIn("Run it again with GOC_TRACE", self.refusal('{"traceEvents": [{"ph": "X"'))

    def test_json_that_is_not_a_trace_is_refused_with_what_it_lacks(self):
        self.assertIn("no traceEvents", self.refusal('{"events": []}'))
        self.assertIn("'ts'", self.refusal('{"traceEvents": [{"ph": "X", "name": "running"}]}'))
        self.assertIn("format", self.refusal('{"otherData": {"format": "other-2"}, "traceEvents": []}'))

    def test_a_missing_file_names_the_way_to_write_one(self):
        with self.assertRaises(trace_view.TraceError) as caught:
            trace_view.load(self.dir / "absent.json")
        self.assertIn("./course trace", str(caught.exception))

    def test_an_empty_trace_draws_an_empty_timeline(self):
        _, page = parsed({"traceEvents": []})
        self.assertEqual(page.with_class("lane"), [])


if __name__ == "__main__":
    unittest.main()
