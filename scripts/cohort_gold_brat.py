"""Convert a cohort's hand gold facts (default corpora/cohort) to a brat folder for `trialsieve
evaluate facts`.

python scripts/cohort_gold_brat.py [COHORT_DIR] OUT_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

from pipeline.errors import TrialsieveError
from pipeline.evaluate.facts import cohort_gold_to_brat


def main(argv: list[str]) -> int:
    if len(argv) not in (1, 2):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    cohort, out = (None, argv[0]) if len(argv) == 1 else (argv[0], argv[1])
    try:
        conf = cohort_gold_to_brat(Path(cohort) if cohort else None, Path(out))
    except TrialsieveError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"brat gold: {conf.parent} ({len(list(conf.parent.glob('*.ann')))} notes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
