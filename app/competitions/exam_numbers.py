"""Exam numbers (准考证号) from a pattern such as "{year}{event_code}{seq:04}". Pure."""
from __future__ import annotations

import re
import string

ALLOWED_FIELDS = {"year", "event_code", "seq"}
MAX_LENGTH = 32


class PatternError(ValueError):
    """The pattern uses an unknown field, has no {seq}, or is malformed."""


def check_pattern(pattern: str) -> str:
    """The pattern, if it can number an event; raises PatternError.

    It must contain {seq} exactly once (that is what makes numbers unique) and may use
    {year} and {event_code}; format specs such as {seq:04} are allowed.
    """
    try:
        parts = [(name, spec) for _, name, spec, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as error:
        raise PatternError(str(error)) from None
    fields = [name for name, _ in parts]
    unknown = set(fields) - ALLOWED_FIELDS
    if unknown:
        raise PatternError(f"unknown field(s): {', '.join(sorted(unknown))}")
    if fields.count("seq") != 1:
        raise PatternError("the pattern needs {seq} exactly once")
    # A width such as {seq:0999999999} would build a gigabyte string just to measure it.
    if any(int(digits) > MAX_LENGTH for _, spec in parts for digits in re.findall(r"\d+", spec or "")):
        raise PatternError(f"numbers would be longer than {MAX_LENGTH} characters")
    try:
        # The longest number it can make: a 16-character event code, a six-digit sequence.
        sample = format_number(pattern, year=2026, event_code="C" * 16, seq=999999)
    except (ValueError, KeyError, IndexError) as error:
        raise PatternError(str(error)) from None
    if len(sample) > MAX_LENGTH:
        raise PatternError(f"numbers would be longer than {MAX_LENGTH} characters")
    return pattern


def format_number(pattern: str, *, year: int, event_code: str, seq: int) -> str:
    """The exam number for the `seq`-th approval of an event."""
    return pattern.format(year=year, event_code=event_code, seq=seq)
