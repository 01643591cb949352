"""`screen` takes the criteria JSON `criteria` prints, edited or not, like `match` does."""

from __future__ import annotations

import json

from click.testing import CliRunner
from store_builders import AS_OF, SEED

from pipeline.cli import main


def test_screen_on_criteria_json_writes_what_match_writes_and_follows_an_edit(
    cohort_store, match_reference, tmp_path
):
    printed = CliRunner().invoke(main, ["criteria", str(SEED)])
    assert printed.exit_code == 0, printed.output
    trial = json.loads(printed.stdout)
    (tmp_path / "trial.json").write_text(json.dumps(trial), encoding="utf-8")
    res = CliRunner().invoke(
        main,
        [
            "screen",
            str(tmp_path / "trial.json"),
            "--store",
            str(cohort_store),
            "--out",
            str(tmp_path / "same"),
            "--as-of",
            AS_OF,
        ],
    )
    assert res.exit_code == 0, res.output
    assert (tmp_path / "same" / "NCT06935188.jsonl").read_bytes() == match_reference
    age = next(k for c in trial["criteria"] for k in c["constraints"] if k["id"] == "I1.c1")
    age["value_high"] = 50.0
    (tmp_path / "edited.json").write_text(json.dumps(trial), encoding="utf-8")
    res = CliRunner().invoke(
        main,
        [
            "screen",
            str(tmp_path / "edited.json"),
            "--store",
            str(cohort_store),
            "--out",
            str(tmp_path / "edited"),
            "--as-of",
            AS_OF,
        ],
    )
    assert res.exit_code == 0, res.output
    verdicts = [
        next(v["verdict"] for v in json.loads(line)["criteria"] if v["criterion_id"] == "I1")
        for line in (tmp_path / "edited" / "NCT06935188.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    before = [
        next(v["verdict"] for v in json.loads(line)["criteria"] if v["criterion_id"] == "I1")
        for line in match_reference.decode("utf-8").splitlines()
    ]
    assert verdicts.count("not_met") > before.count("not_met")
