"""Read brat standoff annotation (``.txt`` + ``.ann``), as used by the Chia corpus.

Only what the evaluators and the trainer need: text-bound entities (``T``), binary relations
(``R``), equivalence/OR groups (``*``) and attributes (``A``). Offsets index the ``.txt`` read with
``newline=""`` so CRLF line ends are kept and ``text[start:end]`` is exactly the annotated span.
Discontinuous entities (``Value 751 763;770 771``) keep every fragment in ``spans``.

Lines that are neither of these (an entity's text continuing over a line break, blank lines) are
skipped; a ``T`` line whose offsets fall outside the text raises :class:`InputError`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from ..errors import E, InputError

_T_LINE = re.compile(r"^(T\d+)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)\t?(.*)$")
_R_LINE = re.compile(r"^(R\d+)\t(\S+) Arg1:(T\d+) Arg2:(T\d+)")
_GROUP_LINE = re.compile(r"^\*\t(\S+)((?: T\d+)+)\s*$")
_A_LINE = re.compile(r"^(A\d+)\t(\S+) (T\d+)(?: (\S+))?")


@dataclass(frozen=True)
class Entity:
    id: str
    type: str
    spans: tuple[tuple[int, int], ...]
    """Fragments in file order; one for a continuous span."""
    text: str
    """The text as written in the .ann file (fragments joined by a space)."""

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)

    @property
    def end(self) -> int:
        return max(e for _, e in self.spans)


@dataclass(frozen=True)
class Relation:
    id: str
    type: str
    arg1: str
    arg2: str


@dataclass(frozen=True)
class Group:
    """A ``*`` line: ``*\\tOR T5 T6 T7`` (type ``OR``) groups entities as alternatives."""

    type: str
    members: tuple[str, ...]


@dataclass
class BratDocument:
    path: Path
    text: str
    entities: dict[str, Entity] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    attributes: dict[str, list[str]] = field(default_factory=dict)
    """Entity id -> attribute names (e.g. ``Optional``)."""

    def by_type(self, *types: str) -> list[Entity]:
        """Entities of the given types, in offset order."""
        return sorted((e for e in self.entities.values() if e.type in types), key=lambda e: (e.start, e.end, e.id))

    def or_groups(self) -> list[Group]:
        return [g for g in self.groups if g.type == "OR"]


def read_text(path: Path) -> str:
    """The text exactly as stored (no newline translation)."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return fh.read()
    except UnicodeDecodeError as err:
        raise InputError(E.E002.format(path=path, offset=err.start)) from err
    except OSError as err:
        raise InputError(E.E001.format(path=path, detail=err)) from err


def parse_ann(ann: str, text: str, path: Path) -> BratDocument:
    """Parse the content of an ``.ann`` file against its text."""
    doc = BratDocument(path=path, text=text)
    for lineno, line in enumerate(ann.splitlines(), 1):
        line = line.rstrip("\r")
        if m := _T_LINE.match(line):
            spans = tuple(tuple(int(x) for x in frag.split()) for frag in m.group(3).split(";"))
            for s, e in spans:
                if not (0 <= s <= e <= len(text)):
                    raise InputError(
                        E.E030.format(
                            path=path, line=lineno, detail=f"offsets {s}-{e} outside text of length {len(text)}"
                        )
                    )
            doc.entities[m.group(1)] = Entity(m.group(1), m.group(2), spans, m.group(4))  # type: ignore[arg-type]
        elif m := _R_LINE.match(line):
            doc.relations.append(Relation(m.group(1), m.group(2), m.group(3), m.group(4)))
        elif m := _GROUP_LINE.match(line):
            doc.groups.append(Group(m.group(1), tuple(m.group(2).split())))
        elif m := _A_LINE.match(line):
            doc.attributes.setdefault(m.group(3), []).append(m.group(2))
    return doc


def read_brat(txt_path: Path) -> BratDocument:
    """Read ``X.txt`` and its ``X.ann`` (an absent .ann gives a document without annotations)."""
    txt_path = Path(txt_path)
    text = read_text(txt_path)
    ann_path = txt_path.with_suffix(".ann")
    ann = read_text(ann_path) if ann_path.exists() else ""
    return parse_ann(ann, text, txt_path)


def iter_corpus(folder: Path) -> Iterator[BratDocument]:
    """Every ``*.txt`` with its annotations in ``folder``, in file-name order."""
    for path in sorted(Path(folder).glob("*.txt")):
        yield read_brat(path)


def line_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every non-blank line, end excluding the line break and trailing spaces."""
    out = []
    for m in re.finditer(r"[^\r\n]+", text):
        s, e = m.start(), m.end()
        while e > s and text[e - 1].isspace():
            e -= 1
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            out.append((s, e))
    return out


def default_chia_dir() -> Path | None:
    """The Chia corpus: ``$TRIALSIEVE_CHIA``, else ``../shared/data/chia`` next to the project, else None."""
    import os

    from ..resources import corpora_path

    env = os.environ.get("TRIALSIEVE_CHIA")
    if env:
        return Path(env)
    shared = corpora_path().parent.parent / "shared" / "data" / "chia"
    return shared if shared.is_dir() else None
