"""Output files that never lie: written under a temporary name beside the target and renamed only
when complete, so an interrupted run leaves no file that looks finished; an output that would
overwrite one of the run's inputs is refused."""
from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Optional, TextIO

from ..errors import E, InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_output(path: str | Path) -> Iterator[TextIO]:
    """A text file handle whose content appears at ``path`` only if the block completes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def same_file(a: str | Path, b: str | Path) -> bool:
    """True when two paths name the same file (through links or relative parts)."""
    pa, pb = Path(a), Path(b)
    try:
        if pa.exists() and pb.exists():
            return os.path.samefile(pa, pb)
    except OSError:
        pass
    return pa.resolve() == pb.resolve()


def check_outputs(outputs: Iterable[Optional[str | Path]], inputs: Iterable[Optional[str | Path]]) -> None:
    """``InputError`` (E016) when an output path is an input of the run or another output."""
    ins = [p for p in inputs if p]
    outs = [p for p in outputs if p]
    for i, out in enumerate(outs):
        if any(same_file(out, p) for p in ins) or any(same_file(out, o) for o in outs[:i]):
            raise InputError(E.E016.format(path=out))


def remove_stale(paths: Iterable[Optional[str | Path]]) -> None:
    """Delete a previous run's outputs before computing, so a failed run cannot leave them looking current."""
    for p in paths:
        if p:
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                Path(p).unlink()


class ResultSpool:
    """Patient results kept in a temporary file until they are ranked and written, so that memory holds
    only a slim copy of each (its verdicts without evidence, criterion text or reason), enough to rank
    the patients and print the table."""

    def __init__(self) -> None:
        self._fh = tempfile.TemporaryFile()
        self._where: dict[str, tuple[int, int]] = {}
        self.slim: list[Any] = []

    def add(self, result: Any) -> None:
        data = result.to_json().encode("utf-8")
        self._fh.seek(0, os.SEEK_END)
        self._where[result.patient_id] = (self._fh.tell(), len(data))
        self._fh.write(data)
        verdicts = [v.model_copy(update={"evidence": [], "text": "", "reason": ""}) for v in result.criteria]
        self.slim.append(result.model_copy(update={"criteria": verdicts}))

    def full(self, slim: Any) -> Any:
        """The whole result of a slim one (with the slim one's rank)."""
        from ..schema import PatientResult

        pos, size = self._where[slim.patient_id]
        self._fh.seek(pos)
        return PatientResult.model_validate_json(self._fh.read(size)).model_copy(update={"rank": slim.rank})

    def close(self) -> None:
        self._fh.close()
