"""The review page works in a real headless browser (Debian's chromium, never a downloaded one)."""
from __future__ import annotations

import shutil

import pytest
from review_records import AS_OF, build

from pipeline.io.report import write_report

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


MISSING = ("chromium not found on PATH: install Debian's package (`make browser` or `apt-get install -y chromium`); "
           "never `playwright install`.")


def test_report_browser_chromium_is_installed():
    assert shutil.which("chromium") is not None, MISSING


@pytest.fixture(scope="module")
def browser_page(tmp_path_factory):
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright

    trial, results, notes, facts = build()
    path = write_report(tmp_path_factory.mktemp("report") / "report.html", trial, results, notes, facts, as_of=AS_OF)
    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.goto(path.as_uri())
        yield page, {"results": results, "notes": {(n.patient_id, n.note_id): n for n in notes}, "requests": requests}
        browser.close()


def _verdict(results, pid: str, cid: str):
    (r,) = [r for r in results if r.patient_id == pid]
    (v,) = [v for v in r.criteria if v.criterion_id == cid]
    return v


def test_report_browser_click_verdict_shows_note_and_marks_evidence(browser_page):
    page, ctx = browser_page
    page.click('button.verdict[data-pid="PA"][data-cid="E1"]')
    ev = _verdict(ctx["results"], "PA", "E1").evidence[0]
    assert page.inner_text("#note-text mark") == ev.text
    assert page.eval_on_selector("#note-text", "e => e.textContent") == ctx["notes"][("PA", ev.source_id)].text


def test_report_browser_marks_the_assertion_cue_separately(browser_page):
    page, _ = browser_page
    page.click('button.verdict[data-pid="PA"][data-cid="E1"]')
    assert page.eval_on_selector("#note-text .cue", "e => e.textContent") == "No history of"


def test_report_browser_note_script_is_not_executed(browser_page):
    page, _ = browser_page
    page.click('button.verdict[data-pid="PA"][data-cid="I1"]')
    assert page.evaluate("() => window.__pwned === undefined")


def test_report_browser_switches_patient_on_row_click(browser_page):
    page, ctx = browser_page
    page.click('.patient-row[data-pid="PB"]')
    page.click('button.verdict[data-pid="PB"][data-cid="I1"]')
    ev = _verdict(ctx["results"], "PB", "I1").evidence[0]
    assert page.inner_text("#note-text mark") == ev.text == "Platelets 60 x10^9/L"


def test_report_browser_shows_the_patients_own_note_when_note_ids_repeat(browser_page):
    page, ctx = browser_page
    page.click('.patient-row[data-pid="PB"]')
    page.click('button.verdict[data-pid="PB"][data-cid="I1"]')
    ev = _verdict(ctx["results"], "PB", "I1").evidence[0]
    assert page.eval_on_selector("#note-text", "e => e.textContent") == ctx["notes"][("PB", ev.source_id)].text


def test_report_browser_highlight_counts_code_points_after_astral_characters(browser_page):
    page, ctx = browser_page
    page.click('.patient-row[data-pid="PB"]')
    page.click('button.verdict[data-pid="PB"][data-cid="I1"]')
    ev = _verdict(ctx["results"], "PB", "I1").evidence[0]
    note = ctx["notes"][("PB", ev.source_id)].text
    assert len(note[: ev.start].encode("utf-16-le")) // 2 > ev.start  # the offsets really differ in JS units
    assert page.inner_text("#note-text mark") == note[ev.start:ev.end] == ev.text


def test_report_browser_makes_no_network_request(browser_page):
    _, ctx = browser_page
    assert all(u.startswith("file://") for u in ctx["requests"])
