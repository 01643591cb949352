"""The built wheel runs on its own: installed into a fresh virtual environment outside the checkout, it
finds its rules, lexicons, models, templates and bundled demo, and gives the checkout's outputs.

Building and installing take a few seconds: the wheel is built offline (``--no-build-isolation``, the dev
extra brings setuptools) and installed with ``--no-deps``; the environment reaches the already installed
third-party dependencies through a ``.pth`` file naming a folder of links to them that leaves out this
project (its editable finder, its metadata), so the checkout cannot be imported by accident.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main

ROOT = Path(__file__).resolve().parent.parent
LISTING = "corpora/listings/NCT06935188.txt"
NOTES = "corpora/cohort/notes.jsonl"
DEMO_FOLDERS = {"listings", "cohort", "negex_sample", "chia_sample"}
"""The only ``corpora/`` folders the wheel carries (the demo and the evaluators' defaults)."""


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in args], check=False, cwd=cwd, env=env, capture_output=True, text=True)
    assert proc.returncode in (0, 3), f"{args} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}"
    return proc


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_"))}
    env["PYTHONNOUSERSITE"] = "1"
    return env


DEV_ONLY = ("pytest", "_pytest", "hypothesis", "playwright", "psycopg", "pyspark", "mypy", "ruff")
"""Import names of the dev extra: left out of the new environment, so the runtime set is shown to suffice."""


def _left_out(name: str) -> bool:
    """Entries of site-packages never linked: this project (editable finder, metadata), start-up hooks and
    the development-only packages."""
    return (name == "pipeline" or name.startswith(("__editable__", "trialsieve-", "trialsieve.", "__pycache__"))
            or name.endswith((".pth", ".egg-link")) or name.split("-")[0].split(".")[0] in DEV_ONLY)


def _dependency_links(dest: Path) -> Path:
    """A folder of links to every distribution installed for this interpreter (its site-packages folders, in
    import order) but this project and the dev-only packages."""
    dest.mkdir()
    sites = [Path(p) for p in sys.path if Path(p).name in ("site-packages", "dist-packages") and Path(p).is_dir()]
    for site in dict.fromkeys(sites):
        for entry in site.iterdir():
            if not _left_out(entry.name) and not (dest / entry.name).exists():
                (dest / entry.name).symlink_to(entry)
    return dest


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the checkout (the build leaves nothing in the checkout)."""
    base = tmp_path_factory.mktemp("wheel")
    src = base / "src"
    shutil.copytree(ROOT, src, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", "out", ".*cache", "tests", "docs", "scripts"))
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
         "-w", str(base / "dist"), str(src)], check=False, capture_output=True, text=True)
    assert proc.returncode == 0, (
        "building the wheel needs the dev extra (setuptools>=70.1): pip install -e '.[dev]'\n" + proc.stderr)
    (found,) = (base / "dist").glob("trialsieve-*.whl")
    return found


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment outside the checkout with the wheel installed (no pip inside)."""
    base = tmp_path_factory.mktemp("venv")
    env_dir = base / "env"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True, env=_clean_env()).stdout.strip()
    Path(purelib, "_trialsieve_test_deps.pth").write_text(f"{_dependency_links(base / 'deps')}\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                           "--no-index", "-q", str(wheel)], check=False, capture_output=True, text=True,
                          env=_clean_env())
    assert proc.returncode == 0, proc.stderr
    return env_dir


def test_wheel_carries_data_and_code(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {p.relative_to(ROOT).as_posix() for p in (ROOT / "pipeline").rglob("*.py")}
    assert modules <= names, f"modules missing from the wheel (list new subpackages in pyproject.toml): {modules - names}"
    for folder in ("models", "corpora"):
        tracked = {p for p in (ROOT / folder).rglob("*") if p.is_file()}
        shipped = {p for p in tracked if f"pipeline/_{folder}/{p.relative_to(ROOT / folder).as_posix()}" in names}
        if folder == "models":
            assert shipped == tracked, f"models/ files missing from the wheel: {sorted(map(str, tracked - shipped))}"
        else:
            assert {p.relative_to(ROOT / folder).parts[0] for p in shipped} == DEMO_FOLDERS
    assert "pipeline/io/templates/report.html.j2" in names
    assert "pipeline/py.typed" in names


def test_installed_wheel_runs_the_demo_like_the_checkout(venv: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    env = _clean_env()
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    code = ("import json, pipeline; from pipeline.resources import corpora_path, models_path; "
            "print(json.dumps([pipeline.__file__, str(models_path()), str(corpora_path())]))")
    probe = _run([bindir / "python", "-c", code], run_dir, env)
    module, models, corpora = (Path(p).resolve() for p in json.loads(probe.stdout))
    for path in (module, models, corpora):
        assert venv.resolve() in path.parents, f"{path} is not inside the new environment {venv}"
    # the README's demo, with the listing and notes the package carries
    for rel in (LISTING, NOTES):
        (run_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(corpora / Path(rel).relative_to("corpora"), run_dir / rel)
    trialsieve = bindir / "trialsieve"
    _run([trialsieve, "criteria", LISTING, "--out", "criteria.json"], run_dir, env)
    _run([trialsieve, "extract", NOTES, "--out", "facts.jsonl"], run_dir, env)
    _run([trialsieve, "match", LISTING, NOTES, "--as-of", "2025-09-01", "--out", "matches.jsonl",
          "--report", "report.html"], run_dir, env)

    ref = tmp_path / "ref"
    ref.mkdir()
    monkeypatch.chdir(ROOT)
    runner = CliRunner()
    for args in (["criteria", LISTING, "--out", ref / "criteria.json"],
                 ["extract", NOTES, "--out", ref / "facts.jsonl"],
                 ["match", LISTING, NOTES, "--as-of", "2025-09-01", "--out", ref / "matches.jsonl"]):
        result = runner.invoke(main, [str(a) for a in args])
        assert result.exit_code in (0, 3), result.output
    for name in ("criteria.json", "facts.jsonl", "matches.jsonl"):
        installed = (run_dir / name).read_bytes()
        assert installed.strip(), f"{name} is empty"
        assert installed == (ref / name).read_bytes(), f"{name} differs between the wheel and the checkout"
    assert b"NCT06935188" in (run_dir / "report.html").read_bytes()
