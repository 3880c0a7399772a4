#!/usr/bin/env python3
"""The timelines page says that under its seed all three workers of the done
broadcast already wait in their select when main closes `done` (the picture
it draws). Runs the example under that seed with GOC_TRACE and checks it, so
that a change of the scheduler or of the example cannot make the text wrong.

  broadcast_timeline_seed.py PROGRAM SEED
"""
import json
import os
import subprocess
import sys
import tempfile


def main() -> int:
    program, seed = sys.argv[1], sys.argv[2]
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "trace.json")
        env = dict(os.environ, GOC_TRACE=path, GOC_SCHEDULE=f"random:{seed}")
        subprocess.run([program], env=env, check=True, stdout=subprocess.DEVNULL, timeout=60)
        events = json.load(open(path))["traceEvents"]
    closes = [e["ts"] for e in events if e.get("ph") == "i" and e["name"] == "close"]
    if len(closes) != 1:
        print(f"FAIL: expected one close, found {len(closes)}")
        return 1
    waiting = {e["tid"] for e in events
               if e.get("ph") == "X" and e["name"] == "blocked: select"
               and e["ts"] < closes[0] <= e["ts"] + e["dur"]}
    if len(waiting) != 3:
        print(f"FAIL: under random:{seed}, {len(waiting)} of 3 workers wait in their select "
              f"when done closes; pick a seed where all three do (docs/CMakeLists.txt, "
              f"docs/pages/timelines.md)")
        return 1
    print(f"under random:{seed} all three workers wait in their select when done closes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
