"""Regenerate the README screenshot of the review page (docs/img/review.png) in headless Chromium.

    .venv/bin/python scripts/screenshot_report.py [REPORT] [PATIENT] [CRITERION]

Without REPORT, screens the bundled cohort against the bundled trial first (as `make demo` does, into a
temporary folder), so the picture is reproducible from the repository alone. Shows PATIENT (default
P31, a needs-review patient with one open question) with the evidence of CRITERION (default I8, the
compound organ-function criterion) and its sub-conditions unfolded.
Uses Debian's chromium through playwright's executable_path; never downloads a browser.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 900}


def demo_report(folder: Path) -> Path:
    """The demo's review page, written by the `trialsieve match` command of this checkout."""
    out = folder / "report.html"
    subprocess.run([sys.executable, "-m", "pipeline.cli", "match", str(ROOT / "corpora/listings/NCT06935188.txt"),
                    str(ROOT / "corpora/cohort/notes.jsonl"), "--as-of", "2025-09-01", "--report", str(out)],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return out


def main() -> int:
    args = sys.argv[1:]
    pid = args[1] if len(args) > 1 else "P31"
    cid = args[2] if len(args) > 2 else "I8"
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not found: apt-get install chromium (or `make browser`)", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "img" / "review.png"
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(args[0]).resolve() if args else demo_report(Path(tmp))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(report.as_uri())
            page.wait_for_selector("body[data-ready]")
            page.click(f'tbody.prow[data-pid="{pid}"]')
            crit = f'#detail .crit[data-cid="{cid}"]'
            if page.eval_on_selector(crit, "e => e.classList.contains('collapsed')"):
                page.click(f"{crit} button.toggle")
            page.click(f"{crit} button.badge")
            page.eval_on_selector(crit, "e => e.scrollIntoView({block: 'start'})")
            page.evaluate("() => window.scrollTo(0, 0)")
            page.screenshot(path=str(out))
            browser.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
