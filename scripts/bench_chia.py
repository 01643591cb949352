"""Time `trialsieve evaluate chia` on a folder (default: the full Chia corpus) and print figures.

    .venv/bin/python scripts/bench_chia.py [FOLDER]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

from pipeline.evaluate import chia


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    t0 = time.perf_counter()
    result = chia.run(folder)
    dt = time.perf_counter() - t0
    print(f"{result['files']} files, {result['criteria_predicted']} criteria in {dt:.1f} s "
          f"({1000 * dt / max(result['files'], 1):.1f} ms/file)")


if __name__ == "__main__":
    main()
