"""Coded error messages and a small exception hierarchy.

Every message says what went wrong, where (file, line/record, field) and how to fix it.
Codes are stable so users can search for them.
"""
from __future__ import annotations


class ErrorsWithCodes(type):
    """Metaclass so that ``E.E001`` returns the message prefixed with its code."""

    def __getattribute__(cls, code: str) -> str:  # noqa: D105
        msg = super().__getattribute__(code)
        if code.startswith("__"):
            return msg
        return f"[{code}] {msg}"


class E(metaclass=ErrorsWithCodes):
    # input files
    E001 = "{path}: cannot read file ({detail}). Check the path and permissions."
    E002 = "{path}: file is not valid UTF-8 text (byte {offset}). Re-save it as UTF-8."
    E003 = "{path}: line {line}: invalid JSON ({detail}). Each line must be one JSON object."
    E004 = "{path}: record {record}: missing field '{field}'. Notes need patient_id, note_id, date, note_type, text."
    E005 = "{path}: record {record}: field 'date' has bad date {value!r}. Use ISO format YYYY-MM-DD."
    E006 = "{path}: record {record}: field 'text' is empty. Remove the record or give it text."
    E007 = "{path}: record {record}: field '{field}' is invalid ({detail})."
    E008 = "{path}: unsupported notes format '{suffix}'. Use .jsonl or .csv."
    E009 = ("{path}: {record}: field '{field}' is not valid {encoding} text (byte {offset} of the record). Re-save "
            "the file as UTF-8, or name its encoding with --encoding.")
    E013 = ("{path}: file looks like {encoding} without a byte-order mark. Re-save it as UTF-8, or pass --encoding "
            "{encoding}.")
    E014 = ("{path}: note {note} of patient {patient}: processing failed ({detail}); the note was left out. Run with "
            "-vv for the traceback (it may quote note text).")
    E015 = ("{path}: note {note} of patient {patient}: dated {value}, after the screening date {as_of}; left out of "
            "this screening.")
    E017 = ("{path}: the header has no column '{field}' (found: {found}). The first line must name the columns "
            "patient_id, note_id, date, note_type, text.")
    E018 = "{path}: line {line}: unreadable CSV record ({detail})."
    E016 = "{path}: cannot write here: it is an input of this run. Choose another output path."
    E019 = ("{path}: patient {patient}: matching failed ({detail}); no result for this patient. Run with -vv for the "
            "traceback.")
    # listings
    E010 = ("{path}: no eligibility criteria found ({detail}). Give a listing with 'Inclusion Criteria' / 'Exclusion "
            "Criteria' headings or bulleted criteria.")
    E011 = ("{path}: JSON is not a ClinicalTrials.gov API v2 study (missing {field}). Export the study as JSON from "
            "the v2 API.")
    E012 = "{path}: criterion {criterion}: {detail}"
    # data / models
    E020 = "{path}: line {line}: rule or lexicon entry is invalid ({detail}). Fix the entry; unknown keys are rejected."
    E021 = "{path}: model file missing or unreadable ({detail}). Run `trialsieve train` to rebuild it."
    E022 = "{path}: line {line}: lexicon entry needs 'concept' and 'phrase' strings ({detail})."
    E023 = (
        "{path}: packaged data file is {problem}; trialsieve cannot run without it. Reinstall the package "
        "(`pip install --force-reinstall trialsieve`), or in a source checkout restore it "
        "(`git checkout -- models corpora`)."
    )
    # databases, OMOP tables and fact stores
    E040 = ("{source}: cannot read from the database ({detail}). Check the URL, the credentials, the query and that "
            "the server is running.")
    E041 = ("{path}: column '{column}' not found (columns: {found}). Map your layout with --columns field=column,... "
            "(fields: {fields}).")
    E042 = "--columns {value!r} is invalid ({detail}). Give field=column pairs separated by commas; fields: {fields}."
    E043 = "{store}: not a trialsieve fact store ({detail}). Build it with `trialsieve index NOTES --store STORE`."
    E044 = "{path}: cannot write ({detail}). Check the folder exists and is writable."
    E045 = ("--engine spark cannot start ({detail}). Install the extra with `pip install 'trialsieve[spark]'` and a "
            "Java 17 runtime.")
    E046 = ("{path}: unsupported notes format '{suffix}'. Use .jsonl, .csv or .parquet (OMOP NOTE columns or "
            "patient_id, note_id, date, note_type, text).")
    E047 = ("{path}: {detail}. Annotation files are never overwritten (they may hold corrections); choose a new or "
            "empty folder.")
    # evaluation
    E030 = "{path}: gold file invalid at line {line} ({detail})."
    E031 = "{option} {value!r} is not a date. Use YYYY-MM-DD."
    # the run itself
    E099 = ("internal error ({detail}) in `trialsieve {command}`; no output file was left behind. Run with -vv for "
            "the traceback and report it.")


EXIT_OK = 0
"""Every input record was used."""
EXIT_FAILED = 1
"""Nothing usable: an unreadable file, a listing without criteria, an output path equal to an input."""
EXIT_USAGE = 2
"""Bad command-line arguments (click's own code)."""
EXIT_SKIPPED = 3
"""The run completed, but some input records were skipped (each named on standard error)."""


class TrialsieveError(Exception):
    """Base class of every error trialsieve raises on purpose."""


class InputError(TrialsieveError):
    """A user-supplied file or record cannot be used."""


class ListingError(InputError):
    """A trial listing cannot be parsed."""


class NotesError(InputError):
    """A notes file or note record cannot be used."""


class StoreError(TrialsieveError):
    """A database, OMOP table or fact store cannot be read or written."""


class ModelDataError(TrialsieveError):
    """A packaged rule, lexicon or model is invalid (a bug in the data, caught at load time)."""
