"""Text from other people's spreadsheets, made harmless for a terminal.

A cell may carry ESC sequences (an OSC title change, colours, cursor moves), C1 controls
that some terminals obey as 8-bit escapes, or bidirectional overrides that make "abc"
read as "cba". Nothing from a file is ever written raw: what is shown goes through
``terminal_safe``, and what is imported goes through ``strip_controls`` with a reason.
"""

from __future__ import annotations

import re

# Bidirectional formatting characters (Unicode TR 9): marks, embeddings, overrides, isolates.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_CLASS = "\x00-\x1f\x7f-\x9f" + BIDI
_UNSAFE = re.compile(f"[{_CONTROL_CLASS}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{BIDI}]")
# A whole escape sequence goes, not just its ESC: "ESC ] 0 ; title BEL" must not leave "]0;title".
_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC … BEL / ST
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # 8-bit OSC
    r"|(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI (colours, cursor moves)
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC strings
    r"|\x1b[ -/]*[0-~]?"  # any other ESC sequence
)
# What an imported cell may keep: tab and line breaks are layout inside a cell, not commands.
_IMPORT_UNSAFE = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{BIDI}]")


def _escape(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: object, keep_newlines: bool = False) -> str:
    """``text`` with every control and bidi character shown as a visible escape.

    C0, DEL and C1 become ``\\x1b``-style escapes, bidi controls ``\\u202e``-style ones;
    the result contains nothing a terminal would act on. Escaped text stays the same
    when escaped again. ``keep_newlines`` keeps ``\\n`` for multi-line messages.
    """
    text = "" if text is None else str(text)
    if text.isprintable():
        return text
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, text)


def has_controls(text: str) -> bool:
    """True when an imported cell holds something ``strip_controls`` would remove."""
    return bool(_IMPORT_UNSAFE.search(text))


def strip_controls(text: str) -> str:
    """``text`` without escape sequences, control and bidi characters (tab and line breaks kept)."""
    return _IMPORT_UNSAFE.sub("", _SEQUENCE.sub("", text))


def json_safe(text: str) -> str:
    """A JSON document with the characters ``json.dumps`` leaves raw (DEL, C1, bidi) as ``\\uXXXX``.

    They can only stand inside strings, where the escape means the same character: a
    script gets the exact value and a terminal gets nothing to act on.
    """
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
