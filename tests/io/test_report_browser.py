"""The review page works in a real headless browser (Debian's chromium, never a downloaded one)."""
from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from review_records import AS_OF, build, build_many

from pipeline.io.report import write_report
from pipeline.io.report_data import ReportOptions
from pipeline.io.tables import verdict_state

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
MISSING = ("chromium not found on PATH: install Debian's package (`make browser` or `apt-get install -y chromium`); "
           "never `playwright install`.")
EVERYONE = ReportOptions(include_ineligible=True)
LONG_TOKEN = "x" * 400


def test_report_browser_chromium_is_installed():
    assert shutil.which("chromium") is not None, MISSING


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    trial, results, notes, facts = build()
    small = write_report(folder / "small.html", trial, results, notes, facts, as_of=AS_OF, options=EVERYONE)
    many_trial, many, many_notes = build_many(12)
    # a note with a long unbroken token: the layout must wrap it, never scroll sideways
    many_notes = [n.model_copy(update={"text": n.text + LONG_TOKEN}) for n in many_notes]
    big = write_report(folder / "many.html", many_trial, many, many_notes, as_of=AS_OF, options=EVERYONE)
    return {"small": (small, results, {(n.patient_id, n.note_id): n for n in notes}), "many": (big, many, many_notes)}


@pytest.fixture(scope="module")
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail(MISSING)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def open_page(browser):
    """Open a report in a fresh browser context (its own local storage); errors and requests recorded."""
    contexts = []

    def _open(path, width: int = 1400, accept_downloads: bool = False):
        ctx = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=accept_downloads)
        contexts.append(ctx)
        page = ctx.new_page()
        page.errors, page.requests = [], []
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri())
        page.wait_for_selector("body[data-ready]")  # the data is inflated asynchronously
        return page

    yield _open
    for ctx in contexts:
        ctx.close()


def _verdict(results, pid: str, cid: str):
    (r,) = [r for r in results if r.patient_id == pid]
    (v,) = [v for v in r.criteria if v.criterion_id == cid]
    return v


def _show(page, pid: str, cid: str) -> None:
    page.click(f'tbody.prow[data-pid="{pid}"]')
    page.click(f'#detail .crit[data-cid="{cid}"] button.badge')


def _listed(page) -> list[str]:
    return page.eval_on_selector_all("tbody.prow", "rows => rows.map(r => r.dataset.pid)")


def test_report_browser_click_verdict_shows_note_and_marks_evidence(reports, open_page):
    path, results, notes = reports["small"]
    page = open_page(path)
    _show(page, "PA", "E1")
    ev = _verdict(results, "PA", "E1").evidence[0]
    assert page.inner_text("#note-text mark") == ev.text
    assert page.eval_on_selector("#note-text", "e => e.textContent") == notes[("PA", ev.source_id)].text
    assert page.errors == []


def test_report_browser_marks_the_assertion_cue_separately(reports, open_page):
    page = open_page(reports["small"][0])
    _show(page, "PA", "E1")
    assert page.eval_on_selector("#note-text .cue", "e => e.textContent") == "No history of"


def test_report_browser_note_script_is_not_executed(reports, open_page):
    page = open_page(reports["small"][0])
    _show(page, "PA", "I1")
    assert page.evaluate("() => window.__pwned === undefined")


def test_report_browser_shows_the_patients_own_note_when_note_ids_repeat(reports, open_page):
    path, results, notes = reports["small"]
    page = open_page(path)
    _show(page, "PB", "I1")
    ev = _verdict(results, "PB", "I1").evidence[0]
    assert page.eval_on_selector("#note-text", "e => e.textContent") == notes[("PB", ev.source_id)].text


def test_report_browser_highlight_counts_code_points_after_astral_characters(reports, open_page):
    path, results, notes = reports["small"]
    page = open_page(path)
    _show(page, "PB", "I1")
    ev = _verdict(results, "PB", "I1").evidence[0]
    note = notes[("PB", ev.source_id)].text
    assert len(note[: ev.start].encode("utf-16-le")) // 2 > ev.start  # the offsets really differ in JS units
    assert page.inner_text("#note-text mark") == note[ev.start:ev.end] == ev.text


def test_report_browser_highlight_covers_mention_and_written_value(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path)
    pid = results[0].patient_id
    page.click(f'tbody.prow[data-pid="{pid}"]')
    page.click('#detail .crit[data-cid="I8"] button.toggle')  # a passed criterion's sub-conditions start folded
    page.click('#detail .crit[data-cid="I8"] .subs li:nth-child(1) button.ev')
    mark = page.inner_text("#note-text mark")
    assert mark.startswith("Hemoglobin") and mark.endswith("g/dL")
    written = " ".join(mark[len("Hemoglobin"):].split())  # "11.6 g/dL"
    assert f"value {written} (as written) → " in page.inner_text("#note-meta")


def test_report_browser_switching_patients_never_shows_another_patients_text(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path)
    ids = [r.patient_id for r in results]
    for pid in _listed(page):
        page.click(f'tbody.prow[data-pid="{pid}"]')
        for cid in ("I8", "E2"):  # open evidence of two criteria: the note shown must be this patient's
            page.click(f'#detail .crit[data-cid="{cid}"] button.badge')
            shown = page.inner_text("#detail") + page.inner_text("#evidence")
            assert pid in shown
            assert [other for other in ids if other != pid and other in shown] == []
    assert page.errors == []


def test_report_browser_filters_by_status_and_by_criterion(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path)
    page.select_option("#f-status", "ineligible")
    assert sorted(_listed(page)) == sorted(r.patient_id for r in results if r.status == "ineligible")
    page.select_option("#f-status", "")
    failing = {r.patient_id: next(v.criterion_id for v in r.criteria if verdict_state(v.kind, v.verdict) == "fail")
               for r in results if r.status == "ineligible"}
    cid = next(iter(failing.values()))
    index = [c.criterion_id for c in results[0].criteria].index(cid)
    page.select_option("#f-crit", str(index))
    page.select_option("#f-state", "fail")
    assert sorted(_listed(page)) == sorted(p for p, c in failing.items() if c == cid)


def test_report_browser_searches_patient_id_and_note_text(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path)
    pid = results[5].patient_id
    page.fill("#f-search", pid.lower())
    assert _listed(page) == [pid]
    page.fill("#f-search", f"clinic note for patient {pid}")  # words of that patient's note
    assert _listed(page) == [pid]
    page.fill("#f-search", "no such words anywhere")
    assert _listed(page) == []


def test_report_browser_sorts_by_any_column(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path)
    page.click('th[data-sort="id"]')
    assert _listed(page) == sorted(r.patient_id for r in results)
    page.click('th[data-sort="id"]')
    assert _listed(page) == sorted((r.patient_id for r in results), reverse=True)
    page.click('th[data-sort="score"]')
    scores = [next(r.score for r in results if r.patient_id == p) for p in _listed(page)]
    assert scores == sorted(scores)
    page.click('th[data-sort="failed"]')
    failed = [page.eval_on_selector(f'tbody.prow[data-pid="{p}"]', "b => Number(b.rows[0].cells[7].textContent)") for p in _listed(page)]
    assert failed == sorted(failed)


def test_report_browser_keyboard_moves_between_patients_and_criteria(reports, open_page):
    page = open_page(reports["many"][0])
    order = _listed(page)
    selected = "() => document.querySelector('tbody.prow.selected').dataset.pid"
    assert page.evaluate(selected) == order[0]
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    assert page.evaluate(selected) == order[2]
    page.keyboard.press("k")
    assert page.evaluate(selected) == order[1]
    assert order[1] in page.inner_text("#detail")
    page.keyboard.press("l")
    page.keyboard.press("ArrowRight")
    current = "() => document.querySelector('#detail .crit.current').dataset.pos"
    assert page.evaluate(current) == "2"  # selecting opened the first criterion (position 0)
    page.focus(f'tbody.prow[data-pid="{order[4]}"]')
    page.keyboard.press("Enter")
    assert page.evaluate(selected) == order[4]


def test_report_browser_reviewed_mark_and_comment_survive_a_reload(reports, open_page):
    page = open_page(reports["many"][0])
    pid = _listed(page)[3]
    page.click(f'tbody.prow[data-pid="{pid}"]')
    page.check("#reviewed")
    page.fill("#comment", "called 7 Dec, booked screening visit")
    page.reload()
    assert page.inner_text(f'tbody.prow[data-pid="{pid}"] td.done') == "✓"
    page.click(f'tbody.prow[data-pid="{pid}"]')
    assert page.is_checked("#reviewed")
    assert page.input_value("#comment") == "called 7 Dec, booked screening visit"
    page.select_option("#f-review", "done")
    assert _listed(page) == [pid]


def test_report_browser_exports_the_list_with_decisions_to_csv(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path, accept_downloads=True)
    first = _listed(page)[0]
    page.click(f'tbody.prow[data-pid="{first}"]')
    page.check("#reviewed")
    page.fill("#comment", "=HYPERLINK(\"x\"), call back")
    with page.expect_download() as info:
        page.click("#export")
    rows = list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text(encoding="utf-8"))))
    assert [r["patient"] for r in rows] == _listed(page)
    by_id = {r.patient_id: r for r in results}
    for row in rows:
        assert row["status"] == by_id[row["patient"]].status
        assert row["deciding reason"].startswith(by_id[row["patient"]].reasons[0][:20])
    assert rows[0]["reviewed"] == "yes" and rows[0]["comment"] == "'=HYPERLINK(\"x\"), call back"
    assert {r["reviewed"] for r in rows[1:]} == {"no"}


def test_report_browser_print_layout_shows_one_patients_checklist_with_evidence(reports, open_page):
    path, results, _ = reports["many"]
    page = open_page(path, width=794)  # A4 width at 96 dpi
    pid = _listed(page)[1]
    page.click(f'tbody.prow[data-pid="{pid}"]')
    page.emulate_media(media="print")
    hidden = "s => getComputedStyle(document.querySelector(s)).display === 'none'"
    for sel in ("#list-panel", "#evidence", ".toolbar"):
        assert page.evaluate(hidden, sel), sel
    text = page.inner_text("#detail")
    (r,) = [r for r in results if r.patient_id == pid]
    assert all(v.criterion_id in text for v in r.criteria)
    assert "No history of tuberculosis, hepatitis or HIV." in text  # evidence sentences printed with the checklist
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")


def test_report_browser_fits_a_1024_pixel_screen(reports, open_page):
    for name in ("small", "many"):
        page = open_page(reports[name][0], width=1024)
        for pid in _listed(page)[:3]:
            page.click(f'tbody.prow[data-pid="{pid}"]')
            assert page.evaluate("() => document.documentElement.scrollWidth") <= 1024, (name, pid)
        assert page.evaluate("() => document.querySelector('#note-text').scrollWidth <= document.querySelector('#note-text').clientWidth")


def test_report_browser_makes_no_network_request(reports, open_page):
    for name in ("small", "many"):
        page = open_page(reports[name][0])
        page.click("tbody.prow:nth-of-type(2)")
        assert all(u.startswith("file://") for u in page.requests)
