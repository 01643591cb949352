"""Regenerate the README screenshot of the review page (docs/img/review.png) in headless Chromium.

    make demo && .venv/bin/python scripts/screenshot_report.py [REPORT] [PATIENT] [CRITERION]

Uses Debian's chromium through playwright's executable_path; never downloads a browser.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run"]


def main() -> int:
    report = Path(sys.argv[1] if len(sys.argv) > 1 else ROOT / "out" / "report.html").resolve()
    pid = sys.argv[2] if len(sys.argv) > 2 else "P13"
    cid = sys.argv[3] if len(sys.argv) > 3 else "I4"
    chromium = shutil.which("chromium")
    if not chromium:
        print("chromium not found: apt-get install chromium (or `make browser`)", file=sys.stderr)
        return 1
    out = ROOT / "docs" / "img" / "review.png"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=FLAGS)
        page = browser.new_page(viewport={"width": 1500, "height": 900})
        page.goto(report.as_uri())
        page.click(f'.patient-row[data-pid="{pid}"]')
        page.click(f'button.verdict[data-pid="{pid}"][data-cid="{cid}"]')
        page.screenshot(path=str(out))
        browser.close()
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
