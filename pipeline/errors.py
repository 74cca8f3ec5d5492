"""Coded error messages and the project's exception types.

Every error a user can meet has a code, so that a message in a log can be looked up here.
"""


class ArchivalError(Exception):
    """An error the user can act on; the CLI prints its message on one line."""


class RuleDataError(ArchivalError):
    """A rule file is malformed. The message names the file and line."""


class InputError(ArchivalError):
    """The command's inputs cannot be used as given (before any work is done)."""


class Errors:
    E001 = "{path}:{line}: not valid JSON ({reason})"
    E002 = "{path}:{line}: rule is missing the field '{field}'"
    E003 = "{path}:{line}: duplicate rule id '{rule_id}' (first seen on line {first})"
    E004 = "{path}:{line}: unknown label '{label}' (expected one of {labels})"
    E005 = "{path}:{line}: field '{field}' must be {expected}"
    E010 = "duplicate doc_id '{doc_id}': {first} and {second}"
    E011 = "input not found: {path}"
    E012 = "no .txt documents found in {paths}"
    E013 = "{path}: not a .txt file"
    E014 = "--out {path} is a file, not a folder"
    E020 = "model not found at {path} (build it with `archival-ner build`)"
    # Why an input was rejected (rejected.jsonl, and one "archival-ner: rejected" line each).
    # One line, never the file's bytes or text.
    E030 = "empty file"
    E031 = "no text (whitespace only)"
    E032 = "binary content ({why})"
    E033 = "undecodable text (invalid {encoding} at byte {offset})"
    E034 = "undecodable text (invalid UTF-8 at byte {offset}, and no other encoding fits)"
    E035 = "unreadable file ({why})"
    E036 = "not a regular file ({kind})"
    E037 = "too large to read as one document ({size:,} bytes; the limit is {limit:,}): split it"
    E038 = "file name is not valid UTF-8 (rename it)"
    E039 = "unreadable directory ({why})"
    # evaluation inputs
    E050 = (
        "doc_id '{doc_id}': text differs between gold and prediction "
        "(sha256 {gold_sha} in {gold_path}, {pred_sha} in {pred_path}); "
        "predict again from the same text"
    )
    E051 = "{path}:{line}: sha256 {given} does not match the document's text (sha256 {actual})"
    E052 = "{path}:{line}: span {start}-{end} is outside the text (length {length})"
    E053 = "{path}:{line}: span {start}-{end} has text {given!r} but the document has {actual!r}"
    E054 = "{path}: no .jsonl files in this folder"
    E055 = "no gold documents in {path}"
    E056 = "{path}: no {name} in this folder (pass the folder `archival-ner run --out` wrote, or a .jsonl file)"
