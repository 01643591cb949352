"""Locate packaged data (``models/``, ``corpora/``) through ``importlib.resources``, never the working directory.

The repository keeps both folders at its top level. A wheel carries them inside the package, as
``pipeline/_models`` and ``pipeline/_corpora`` (``[tool.setuptools.package-dir]`` in pyproject.toml maps
those package names onto the two folders); in a source checkout or an editable install they are the
folders next to ``pipeline/``. A file that is missing there is reported by its reader (E023), never read
as empty.
"""
from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources
from pathlib import Path

from .errors import E, ModelDataError


@cache
def _root(folder: str) -> Path:
    package = resources.files("pipeline")
    installed = package.joinpath(f"_{folder}")
    if installed.is_dir():
        return Path(str(installed))
    return Path(str(package)).parent / folder


def models_path(*parts: str) -> Path:
    return _root("models").joinpath(*parts)


def corpora_path(*parts: str) -> Path:
    return _root("corpora").joinpath(*parts)


def data_files(folder: Path, pattern: str) -> list[Path]:
    """The files of a packaged data folder matching ``pattern``, sorted; none is E023."""
    found = sorted(folder.glob(pattern))
    if not found:
        raise ModelDataError(E.E023.format(path=folder / pattern, problem="missing (no file matches)"))
    return found


def data_file(path: Path) -> Path:
    """``path`` if it is a non-empty file, else E023 (for readers that take a path, such as pint's)."""
    if not path.is_file():
        raise ModelDataError(E.E023.format(path=path, problem="missing"))
    if path.stat().st_size == 0 or not path.read_bytes().strip():
        raise ModelDataError(E.E023.format(path=path, problem="empty"))
    return path


@cache
def models_fingerprint() -> str:
    """A hash of every rule, lexicon and model file under ``models/`` (names and bytes): what extraction reads,
    so that facts indexed with other rules are known to be stale."""
    root = _root("models")
    h = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(root).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()[:16]
