"""Locate packaged data (``models/``, ``corpora/``) relative to the installed package, never the CWD.

In a source checkout or editable install the folders sit next to ``pipeline/``; a wheel installs
them under ``<prefix>/share/trialsieve/``.
"""
from __future__ import annotations

import sys
from importlib import resources
from pathlib import Path


def _data_root() -> Path:
    here = Path(str(resources.files("pipeline"))).parent
    if (here / "models").is_dir():
        return here
    return Path(sys.prefix) / "share" / "trialsieve"


def models_path(*parts: str) -> Path:
    return _data_root().joinpath("models", *parts)


def corpora_path(*parts: str) -> Path:
    return _data_root().joinpath("corpora", *parts)
