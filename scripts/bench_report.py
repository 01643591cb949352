"""Size and opening time of the review page for a large run, in Debian's headless chromium.

    .venv/bin/python scripts/bench_report.py [N_PATIENTS] [--report FILE]

Generates N patients (default 1,000) shaped like a real run (tests/io/review_records.build_many: a
24-criterion trial with a 26-sub-condition criterion, two notes and every verdict with evidence per
patient), writes the page with the default options, with --include-ineligible and with --snippets-only,
and prints each size and the time until the page shows its list and first patient (median of 3 cold
opens), then the time to switch patient. With --report, measures an existing page instead.
Never downloads a browser.
"""
from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "io")]
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
RUNS = 3


from pipeline.io.report import read_page_data  # after the path set-up above


def open_times(browser, path: Path) -> tuple[float, float]:
    """(median seconds until list and first patient are drawn, median seconds to switch patient)."""
    opens, switches = [], []
    for _ in range(RUNS):
        ctx = browser.new_context(viewport={"width": 1400, "height": 900})
        page = ctx.new_page()
        t0 = time.perf_counter()
        page.goto(path.as_uri(), wait_until="load")
        page.wait_for_selector("body[data-ready]")
        opens.append(time.perf_counter() - t0)
        last = page.eval_on_selector_all("tbody.prow", "rows => rows[rows.length - 1].dataset.pid")
        t0 = time.perf_counter()
        page.click(f'tbody.prow[data-pid="{last}"]')
        page.wait_for_function("pid => document.querySelector('#detail h2').textContent.startsWith(pid)", arg=last)
        switches.append(time.perf_counter() - t0)
        ctx.close()
    return statistics.median(opens), statistics.median(switches)


def main() -> int:
    args = sys.argv[1:]
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not found: apt-get install chromium (or `make browser`)", file=sys.stderr)
        return 1
    pages: list[tuple[str, Path]] = []
    if "--report" in args:
        pages.append(("given page", Path(args[args.index("--report") + 1]).resolve()))
        n = None
    else:
        from review_records import AS_OF, build_many

        from pipeline.io.report import write_report
        from pipeline.io.report_data import ReportOptions

        n = int(args[0]) if args else 1000
        trial, results, notes = build_many(n)
        folder = Path(tempfile.mkdtemp(prefix="bench-report-"))
        for name, options in (("default", ReportOptions()), ("--include-ineligible", ReportOptions(include_ineligible=True)),
                              ("--snippets-only", ReportOptions(snippets_only=True))):
            t0 = time.perf_counter()
            path = write_report(folder / f"report{len(pages)}.html", trial, results, notes, as_of=AS_OF, options=options)
            print(f"{name}: written in {time.perf_counter() - t0:.1f} s")
            pages.append((name, path))
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=FLAGS)
        for name, path in pages:
            opened, switched = open_times(browser, path)
            size = path.stat().st_size
            data = len(json.dumps(read_page_data(path.read_text(encoding="utf-8")), separators=(",", ":")))
            who = f"{n:,} patients, " if n else ""
            print(f"{name}: {who}{size / 1e6:.2f} MB ({data / 1e6:.2f} MB of JSON before compression); opens in "
                  f"{opened:.2f} s; switching patient {switched * 1000:.0f} ms (median of {RUNS}, headless chromium)")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
