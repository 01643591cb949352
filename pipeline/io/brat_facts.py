"""Facts as brat standoff annotation, and back: the annotation round trip.

``trialsieve extract NOTES --format brat --out DIR`` writes, per note, ``<stem>.txt`` (the note
text exactly
as read, so offsets hold) and ``<stem>.ann``; and one ``annotation.conf`` declaring every entity
type and
attribute used, so the folder opens in brat and imports into INCEpTION. In the ``.ann``:

- each concept mention is a text-bound annotation whose type is the concept id (``T3\\tcetuximab
120 129\\t
  cetuximab``); a span crossing a line break is written as fragments (``T4\\tfev1 10 14;15
  20\\tFEV1 value``),
  as brat does;
- each assertion flag set on the fact is a binary attribute (``A1\\tNegated T3``): ``Negated``,
  ``Historical``, ``Hypothetical``, ``Family``, ``Uncertain``;
- a value is an annotator note (``#1\\tAnnotatorNotes T3\\t58 year``), for the annotator to check.

Note-level statements (section headings, note titles, "no anticancer therapy now") are not concept
mentions
and are not exported. :func:`read_fact_folder` reads such a folder (or a hand-made one with the
same types and
attributes) back as fact records for ``trialsieve evaluate facts``. File stems are made from the
patient and
note ids (:func:`note_stem`) so predicted and gold folders pair up by name.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ..errors import E, InputError
from .brat import parse_ann, read_text

FLAGS: tuple[str, ...] = ("negated", "historical", "hypothetical", "family", "uncertain")
ATTRIBUTES: dict[str, str] = {flag: flag.capitalize() for flag in FLAGS}
"""Assertion flag -> brat attribute name."""
BRAT_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
"""A type or attribute name brat and INCEpTION accept in ``annotation.conf`` and ``.ann`` lines."""
_SAFE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9.-]{0,59}")
_LINE_BREAKS = re.compile(r"[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
"""Every character ``str.splitlines`` breaks at: an ``.ann`` line never holds one."""
CONF_NAME = "annotation.conf"


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def type_name(concept: str) -> str:
    """The brat entity type of a concept: the concept id itself when brat accepts it (every
    packaged concept),
    else a legal name made from it plus a digest (so two concepts never share a type)."""
    if BRAT_NAME.fullmatch(concept):
        return concept
    return "c_" + re.sub(r"[^A-Za-z0-9_-]", "_", concept)[:40] + "-" + _digest(concept)


def _id_part(value: str) -> str:
    if _SAFE_ID.fullmatch(value):
        return value
    return (re.sub(r"[^A-Za-z0-9.-]", "-", value)[:40].strip(".-") or "id") + "~" + _digest(value)


def note_stem(patient_id: str, note_id: str) -> str:
    """``<patient>__<note>``: file-name safe, distinct for distinct id pairs, the same in every
    export."""
    return f"{_id_part(patient_id)}__{_id_part(note_id)}"


def exportable(fact: Mapping[str, Any]) -> bool:
    """A concept mention (not a note-level statement) with a non-empty span."""
    return not fact.get("statement") and fact["end"] > fact["start"]


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``start..end`` cut at line breaks (brat's own convention), empty pieces dropped."""
    out, s = [], start
    for m in _LINE_BREAKS.finditer(text, start, end):
        if m.start() > s:
            out.append((s, m.start()))
        s = m.end()
    if end > s:
        out.append((s, end))
    return out


def _value_note(fact: Mapping[str, Any]) -> str:
    value = fact.get("value")
    if value is None:
        return ""
    shown = f"{value:g}" if isinstance(value, float) else str(value)
    note = " ".join(f"{shown} {fact.get('unit') or ''}".split())
    return _LINE_BREAKS.sub(" ", note).replace("\t", " ")


def ann_lines(text: str, facts: Iterable[Mapping[str, Any]]) -> list[str]:
    """The ``.ann`` lines of one note's facts, in offset order (same input, same lines)."""
    lines: list[str] = []
    ordered = sorted(
        (f for f in facts if exportable(f)), key=lambda f: (f["start"], f["end"], f["concept"])
    )
    n_attr = n_note = 0
    for t, fact in enumerate(ordered, 1):
        frags = fragments(text, fact["start"], fact["end"])
        if not frags:
            continue
        where = ";".join(f"{s} {e}" for s, e in frags)
        quote = " ".join(text[s:e] for s, e in frags)
        lines.append(f"T{t}\t{type_name(fact['concept'])} {where}\t{quote}")
        for flag in FLAGS:
            if fact.get(flag):
                n_attr += 1
                lines.append(f"A{n_attr}\t{ATTRIBUTES[flag]} T{t}")
        note = _value_note(fact)
        if note:
            n_note += 1
            lines.append(f"#{n_note}\tAnnotatorNotes T{t}\t{note}")
    return lines


def annotation_conf(types: Iterable[str]) -> str:
    """``annotation.conf`` declaring the entity types (sorted), overlapping spans and the assertion
    attributes."""
    entities = "\n".join(sorted(set(types)))
    attrs = "\n".join(f"{name}\tArg:<ENTITY>" for name in ATTRIBUTES.values())
    return (
        f"# trialsieve facts: one entity type per concept, assertion flags as attributes\n"
        f"[entities]\n{entities}\n\n"
        f"[relations]\n<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
        f"[events]\n\n[attributes]\n{attrs}\n"
    )


def conf_types(path: Path) -> set[str]:
    """The entity types an ``annotation.conf`` declares (empty when there is none)."""
    if not path.is_file():
        return set()
    section, out = "", set()
    for line in read_text(path).splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1]
        elif section == "entities":
            out.add(line.lstrip("!").split()[0])
    return out


class BratFolder:
    """An export in progress: files written one note at a time, ``annotation.conf`` at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        if self.folder.exists() and not self.folder.is_dir():
            raise InputError(E.E044.format(path=self.folder, detail="not a folder"))
        if self.folder.is_dir() and any(self.folder.glob("*.ann")):
            raise InputError(
                E.E047.format(path=self.folder, detail="the folder already holds .ann files")
            )
        self.types: set[str] = set()
        self.stems: set[str] = set()

    def add(
        self, patient_id: str, note_id: str, text: str, facts: Sequence[Mapping[str, Any]]
    ) -> Path:
        """Write ``<stem>.txt`` and ``<stem>.ann`` for one note (both appear only when complete)."""
        from .outputs import atomic_output

        stem = note_stem(patient_id, note_id)
        if stem in self.stems:
            raise InputError(
                E.E047.format(path=self.folder / stem, detail="two notes share this name")
            )
        self.stems.add(stem)
        lines = ann_lines(text, facts)
        self.types |= {line.split("\t")[1].split(" ")[0] for line in lines if line.startswith("T")}
        with atomic_output(self.folder / f"{stem}.txt") as fh:
            fh.write(text)
        with atomic_output(self.folder / f"{stem}.ann") as fh:
            fh.write("".join(line + "\n" for line in lines))
        return self.folder / f"{stem}.ann"

    def close(self, declared: Iterable[str] = ()) -> Path:
        """Write ``annotation.conf`` declaring every type used (and ``declared``, e.g. the
        annotated concepts)."""
        from .outputs import atomic_output

        self.folder.mkdir(parents=True, exist_ok=True)
        with atomic_output(self.folder / CONF_NAME) as fh:
            fh.write(annotation_conf(self.types | {type_name(c) for c in declared}))
        return self.folder / CONF_NAME


def read_fact_folder(folder: Path) -> list[dict[str, Any]]:
    """Every text-bound annotation of a brat folder as a fact record: ``note`` (the file stem),
    ``concept``
    (the entity type), ``start``/``end``, ``text`` and the five assertion flags from the
    attributes."""
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(E.E001.format(path=folder, detail="not a folder of brat .txt/.ann files"))
    back = {name: flag for flag, name in ATTRIBUTES.items()}
    out: list[dict[str, Any]] = []
    for txt in sorted(folder.glob("*.txt")):
        ann_path = txt.with_suffix(".ann")
        doc = parse_ann(read_text(ann_path) if ann_path.exists() else "", read_text(txt), txt)
        for ent in doc.entities.values():
            attrs = {back[a] for a in doc.attributes.get(ent.id, []) if a in back}
            out.append(
                {
                    "note_id": txt.stem,
                    "concept": ent.type,
                    "start": ent.start,
                    "end": ent.end,
                    "text": doc.text[ent.start : ent.end],
                    **{flag: flag in attrs for flag in FLAGS},
                }
            )
    return out


def note_texts(folder: Path) -> dict[str, str]:
    """File stem -> text of every ``.txt`` in a brat folder."""
    return {p.stem: read_text(p) for p in sorted(Path(folder).glob("*.txt"))}
