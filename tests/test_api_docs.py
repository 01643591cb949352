"""The Python API: docs/api.md's examples run as shown; public names keep one meaning."""

from __future__ import annotations

import doctest
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
API_DOC = ROOT / "docs" / "api.md"


def test_api_docs_every_code_block_is_an_executed_example():
    fences = re.findall(r"^```(\w*)$", API_DOC.read_text(encoding="utf-8"), re.MULTILINE)
    opening = fences[0::2]
    assert opening and set(opening) == {"pycon"}  # a ``python`` block would not be executed


def test_api_docs_examples_give_the_outputs_shown(monkeypatch):
    monkeypatch.chdir(ROOT)  # the examples use paths relative to a checkout's root
    text = API_DOC.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "docs/api.md", str(API_DOC), 0)
    assert len(test.examples) >= 20
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    out: list[str] = []
    result = runner.run(test, out=out.append)
    assert result.failed == 0, "".join(out)


def test_api_names_keep_their_meaning_before_and_after_the_subpackages_are_imported():
    script = (
        "import inspect, pipeline\n"
        "before = {n: getattr(pipeline, n) for n in pipeline.__all__}\n"
        "sub = pipeline.extract\n"
        "import pipeline.extract.facts, pipeline.match.matcher\n"
        "assert all(getattr(pipeline, n) is f for n, f in before.items())\n"
        "assert all(inspect.isfunction(f) for f in before.values())\n"
        "assert inspect.ismodule(sub) and pipeline.extract is sub\n"
        "assert inspect.ismodule(pipeline.match)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script],
        check=False,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]


@pytest.mark.parametrize(
    "name",
    [
        "extract_facts",
        "extract_text",
        "match_trial",
        "parse_listing",
        "parse_listing_text",
        "read_notes",
        "read_user_lexicon",
        "evaluate_cohort",
        "load",
    ],
)
def test_api_documented_signature_matches_the_function(name):
    import pipeline

    documented = re.search(rf"`{name}\((.*?)\)`", API_DOC.read_text(encoding="utf-8")).group(1)
    shown = [p.split("=")[0].strip() for p in documented.split(",") if p.strip()]
    real: list[str] = []
    for p in inspect.signature(getattr(pipeline, name)).parameters.values():
        if p.kind == p.KEYWORD_ONLY and "*" not in real:
            real.append("*")
        real.append(p.name)
    assert shown == real
