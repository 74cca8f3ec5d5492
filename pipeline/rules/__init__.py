"""Read and validate the rule data that ships with the package.

Rule files are JSONL, one rule per line, each with a stable ``id`` that ends up on the spans the
rule makes (``span.id_``). A malformed file fails loudly with its name and line number.
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, Iterable, Mapping

from ..errors import Errors, RuleDataError
from ..labels import LABELS

#: Fields each kind of rule file must have, and their types.
SCHEMAS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "gazetteer": {"id": str, "kb_id": str, "names": list},
    "cue": {"id": str, "cues": list},
    "names": {"id": str, "names": list},
    "phrase": {"id": str, "cues": list, "heads": list},
}


def package_rule_text(filename: str) -> str:
    """The text of a rule file bundled in ``pipeline/rules``."""
    return resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")


def parse_rules(
    lines: Iterable[str], *, source: str, schema: str, label: str | None = None
) -> list[dict[str, Any]]:
    """Parse JSONL rule lines and validate them against ``SCHEMAS[schema]``.

    Blank lines and lines starting with ``//`` are comments. Rule ids must be unique.
    """
    fields = SCHEMAS[schema]
    rules: list[dict[str, Any]] = []
    first_line: dict[str, int] = {}
    for line_no, line in enumerate(lines, start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("//"):
            continue
        try:
            rule = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise RuleDataError(Errors.E001.format(path=source, line=line_no, reason=err.msg)) from None
        if not isinstance(rule, dict):
            raise RuleDataError(
                Errors.E005.format(path=source, line=line_no, field="(line)", expected="a JSON object")
            )
        validate_rule(rule, fields, source=source, line=line_no)
        if label is not None:
            rule.setdefault("label", label)
        if rule.get("label") is not None and rule["label"] not in LABELS:
            raise RuleDataError(
                Errors.E004.format(path=source, line=line_no, label=rule["label"], labels=", ".join(LABELS))
            )
        if rule["id"] in first_line:
            raise RuleDataError(
                Errors.E003.format(path=source, line=line_no, rule_id=rule["id"], first=first_line[rule["id"]])
            )
        first_line[rule["id"]] = line_no
        rules.append(rule)
    return rules


def validate_rule(rule: Mapping[str, Any], fields: Mapping[str, Any], *, source: str, line: int) -> None:
    for field, expected in fields.items():
        if field not in rule:
            raise RuleDataError(Errors.E002.format(path=source, line=line, field=field))
        if not isinstance(rule[field], expected):
            raise RuleDataError(
                Errors.E005.format(path=source, line=line, field=field, expected=_type_name(expected))
            )
        if expected is list and not all(isinstance(item, str) and item.strip() for item in rule[field]):
            raise RuleDataError(
                Errors.E005.format(path=source, line=line, field=field, expected="a list of non-empty strings")
            )
    if not rule["id"].strip():
        raise RuleDataError(Errors.E005.format(path=source, line=line, field="id", expected="a non-empty string"))


def read_package_rules(filename: str, *, schema: str, label: str | None = None) -> list[dict[str, Any]]:
    """Read and validate one of the package's rule files."""
    text = package_rule_text(filename)
    return parse_rules(text.splitlines(), source=f"pipeline/rules/{filename}", schema=schema, label=label)


def _type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        return " or ".join(t.__name__ for t in expected)
    return {str: "a string", list: "a list", dict: "an object"}.get(expected, expected.__name__)
