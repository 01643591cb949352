"""``evaluate trec`` scoring: status shares, balanced accuracy and NDCG@10 against a random order (pure functions)."""
from __future__ import annotations

import itertools
import json

import pytest

from pipeline.evaluate import trec
from pipeline.evaluate.trec import Pair, expected_ndcg_by_score, ndcg, random_ndcg, score_pairs


def test_trec_ndcg_of_the_ideal_order_is_one_and_of_the_reverse_less():
    assert ndcg([2, 2, 1, 1, 0, 0]) == pytest.approx(1.0)
    assert ndcg([0, 0, 1, 1, 2, 2]) < 0.7


def test_trec_random_ndcg_is_the_mean_over_all_orders():
    labels = [2, 1, 0]
    mean = sum(ndcg(list(p)) for p in itertools.permutations(labels)) / 6
    assert random_ndcg(labels) == pytest.approx(mean)


def test_trec_tied_scores_count_in_expectation_not_in_input_order():
    tied = [(50.0, 0), (50.0, 2), (50.0, 1)]
    assert expected_ndcg_by_score(tied) == pytest.approx(random_ndcg([0, 2, 1]))
    assert expected_ndcg_by_score([(90.0, 2), (50.0, 1), (10.0, 0)]) == pytest.approx(1.0)


def test_trec_status_shares_and_balanced_accuracy():
    pairs = [Pair("t1", "a", 2, "eligible", 100), Pair("t1", "b", 2, "ineligible", 5),
             Pair("t1", "c", 1, "ineligible", 5), Pair("t1", "d", 0, "needs_review", 40)]
    r = score_pairs(pairs)
    assert (r["eligible_kept"], r["non_eligible_caught"], r["balanced_accuracy"], r["false_ineligible_rate"]) == (0.5, 0.5, 0.5, 0.5)
    assert r["caught_by_label"] == {"excluded": 1.0, "not relevant": 0.0}
    assert r["status_table"]["eligible"]["ineligible"] == 1


def test_trec_run_reads_a_folder_and_screens_every_judged_pair(tmp_path):
    (tmp_path / "trials").mkdir()
    record = {"nctid": "NCT00000001", "title": "Vitamin D in Heart Failure", "raw_criteria":
              "Inclusion Criteria:\n\n* Heart failure\n\nExclusion Criteria:\n\n* Pregnancy", "minimum_age": "18 Years",
              "maximum_age": "", "sex": "ALL", "condition": "['Heart Failure']"}
    (tmp_path / "trials" / "NCT00000001.json").write_text(json.dumps(record), encoding="utf-8")
    (tmp_path / "topics.jsonl").write_text(json.dumps({"topic_id": "t1", "year": 2021, "text":
                                                       "A 70-year-old man with chronic heart failure, NYHA II."}) + "\n")
    (tmp_path / "qrels.tsv").write_text("year\ttopic_id\tnct_id\tlabel\n2021\tt1\tNCT00000001\t2\n")
    r = trec.run(tmp_path)
    assert r["pairs"] == 1 and r["status_table"]["eligible"]["ineligible"] == 0
