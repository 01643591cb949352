"""Progress bars for long runs: rate and ETA on a terminal (tqdm), silent when standard error is not one."""
from __future__ import annotations

import sys
from typing import Optional


class _Null:
    def update(self, n: int = 1) -> None:
        pass

    def set_postfix_str(self, s: str) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> "_Null":
        return self

    def __exit__(self, *exc) -> None:
        pass


def null_progress() -> _Null:
    return _Null()


def shows(enabled: Optional[bool]) -> bool:
    """Whether a bar will show: asked for, or not refused and standard error is a terminal."""
    return sys.stderr.isatty() if enabled is None else enabled


def progress_bar(total: Optional[int], unit: str, desc: str, enabled: Optional[bool] = None):
    """A tqdm bar on standard error. ``enabled=None`` shows it only when standard error is a terminal, so
    logs and CI output stay clean."""
    from tqdm import tqdm

    if not shows(enabled):
        return _Null()
    return tqdm(total=total, unit=unit, desc=desc, file=sys.stderr, dynamic_ncols=True, smoothing=0.1,
                unit_scale=False, mininterval=0.5)
