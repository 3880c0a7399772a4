#!/usr/bin/env python3
"""Opens the timeline pages in headless Chromium and checks what a reader sees.

    check_timelines.py --dir SITE/html/timelines --screenshots DIR [--shoot NAME]

For every NAME.html beside its NAME.json (timelines.py writes both), laid out
at phone width (390 px) and desktop width (1280 px) in one Chromium run
(measure_timelines.js):
- one lane per goroutine of the JSON, each with its label shown;
- one arrow per hand-off and go() of the JSON (a flow whose start and finish
  are both there);
- the page itself never scrolls sideways: the drawing scrolls in its own box;
- a click on a bar fills the details panel with what it was.
Screenshots of the page NAME (--shoot, default worker-pool) at both widths go
to DIR for a person to look at; they are taken by two more Chromium runs at
the same time as the measuring one.

Exit status 77 (CTest's skip) when Chromium is not installed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_dom import DESKTOP, PHONE, SKIP, Browser, find_chromium  # noqa: E402


def expected_counts(trace: dict) -> tuple[int, int]:
    """Goroutines and complete flows, counted from the JSON itself."""
    events = trace.get("traceEvents", [])
    goroutines = {e.get("tid") for e in events if e.get("ph") in ("M", "X", "i", "s", "f") and "tid" in e}
    ends: dict[tuple, set] = {}
    for e in events:
        if e.get("ph") in ("s", "f"):
            ends.setdefault((e.get("cat"), e.get("id")), set()).add(e["ph"])
    return len(goroutines), sum(1 for phases in ends.values() if phases == {"s", "f"})


def measure(browser: Browser, pages: list[Path], work: Path) -> list[dict]:
    script = (Path(__file__).resolve().parent / "measure_timelines.js").read_text(encoding="utf-8")
    jobs = [[p.resolve().as_uri(), w] for p in pages for w in (PHONE, DESKTOP)]
    harness = work / "timelines.html"
    harness.write_text('<!DOCTYPE html><html><body><pre id="results">pending</pre><script>\n'
                       f"const JOBS = {json.dumps(jobs)};\n{script}</script></body></html>\n", encoding="utf-8")
    dom = browser.dom(harness, ["--allow-file-access-from-files"], budget_ms=30000)
    m = re.search(r'<pre id="results">(.*?)</pre>', dom, re.S)
    text = m.group(1).replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">") \
        .replace("&amp;", "&") if m else "no results"
    if not text.startswith("["):
        raise RuntimeError(f"measuring the timelines failed: {text[:500]}")
    return json.loads(text)


def problems_of(m: dict, goroutines: int, flows: int) -> list[str]:
    where = f"{Path(m['page']).name} at {m['width']} px"
    out = []
    if m["lanes"] != goroutines:
        out.append(f"{where}: {m['lanes']} lanes for {goroutines} goroutines in the JSON")
    if m["labels"] != goroutines:
        out.append(f"{where}: {m['labels']} lane labels shown for {goroutines} goroutines")
    if m["arrows"] != flows:
        out.append(f"{where}: {m['arrows']} arrows for {flows} complete flows in the JSON")
    if m["pageSideways"] > 1:
        out.append(f"{where}: the page scrolls sideways by {m['pageSideways']} px")
    if m["drawingWiderThanBox"] and m["scrollOverflowX"] not in ("auto", "scroll"):
        out.append(f"{where}: the drawing is cut off instead of scrolling in its box")
    if m["barClicked"] and not m["detailAfterClick"]:
        out.append(f"{where}: a click on a bar left the details panel empty")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", required=True, type=Path, help="the folder of NAME.json and NAME.html")
    ap.add_argument("--screenshots", required=True, type=Path)
    ap.add_argument("--shoot", default="worker-pool", help="the timeline to photograph")
    args = ap.parse_args()

    chromium = find_chromium()
    if chromium is None:
        print("SKIP: chromium is not installed, so the timelines cannot be checked. "
              "`./course docs` installs it (Debian package `chromium`).")
        return SKIP
    pages = sorted(p for p in args.dir.glob("*.html") if p.with_suffix(".json").exists())
    if not pages:
        print(f"FAILED: no timeline (NAME.html beside NAME.json) in {args.dir}: build the site first")
        return 1
    problems = []
    args.screenshots.mkdir(parents=True, exist_ok=True)
    shot = args.dir / f"{args.shoot}.html"
    for old in args.screenshots.glob(f"timeline-{args.shoot}*.png"):
        old.unlink()   # a screenshot left from an earlier run must not pass for a new one
    if not shot.exists():
        problems.append(f"no timeline {shot.name} to photograph")
    with tempfile.TemporaryDirectory() as tmp:
        # Three Chromium runs (the measurements, two screenshots) side by side,
        # each with its own profile: a start is mostly waiting, not computing.
        def browser(name: str) -> Browser:
            (Path(tmp) / name).mkdir()
            return Browser(chromium, Path(tmp) / name)

        with ThreadPoolExecutor(max_workers=3) as pool:
            measured = pool.submit(measure, browser("measure"), pages, Path(tmp))
            shots = [] if not shot.exists() else [
                pool.submit(browser("desktop").screenshot, shot,
                            args.screenshots / f"timeline-{args.shoot}.png", DESKTOP, 800),
                pool.submit(browser("phone").screenshot, shot,
                            args.screenshots / f"timeline-{args.shoot}-phone.png", PHONE, 844)]
            for m in measured.result():
                page = Path(url2pathname(urlparse(m["page"]).path))
                trace = json.loads(page.with_suffix(".json").read_text(encoding="utf-8"))
                goroutines, flows = expected_counts(trace)
                print(f"{page.name} at {m['width']} px: {m['lanes']} lanes ({goroutines} goroutines), "
                      f"{m['arrows']} arrows ({flows} flows), drawing {m['drawingWidth']} px in a "
                      f"{m['boxWidth']} px box")
                problems += problems_of(m, goroutines, flows)
            for s in shots:
                s.result()
    for p in problems:
        print(f"FAILED: {p}")
    print(f"screenshots: {args.screenshots}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
