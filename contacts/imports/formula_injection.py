"""Cells no spreadsheet will run as a formula, for every CSV and Excel file the newsroom writes
(OWASP, "CSV Injection"); and the same cells read back as they were, for imports.

Excel, LibreOffice Calc and Google Sheets run a cell as a formula when it starts with = + - or
@, and, depending on the program and its import options, also once they have trimmed leading
spaces, tabs, line breaks and invisible characters (zero-width spaces, byte order marks,
direction marks), or when it starts with a full-width ＝ ＋ － ＠ (typed by Chinese and Japanese
input methods), which some fold to ASCII. And a cell splits where a spreadsheet sees a
separator: a comma-separated file opened where the list separator is ";" (most of Europe)
splits "Smith;=2+3" into "Smith" and "=2+3", and a file whose quotes are misread splits at
tabs and line breaks too.

So, as OWASP advises, a single quote goes before whatever would start a formula: at the start
of a cell and after each separator (, ; tab, line break), invisible characters and spaces
looked past; and before a cell that starts with a tab or a line break. Spreadsheets take the
quote as text. The CSV writer also quotes every cell, and Excel cells are written as text.

What that means for genuine data, decided here:
- A phone number "+44 20 7946 0000" is exported as "'+44 20 7946 0000", a negative number
  "-5" as "'-5": a spreadsheet would otherwise run the first (#NAME? or a lost "+") and turn
  the second into a number. Every cell of an export is text, so only the quote shows.
- "Call; +44 20 7946 0000" and a line of notes starting "- " get the quote after the separator
  or line break: that is where a misread file starts a new cell or row.
- An import takes these quotes out again (`restore`), so an exported file imports back as it
  was. A quote the data itself had there ("Smith;'=2" typed so) is taken out too.
"""

import re

# Looked past before a formula: whitespace (Unicode's too), control and format characters,
# and the invisible ones (Unicode's default-ignorable code points). Not the separators.
INVISIBLE = (
    r"[^\S\t\n\r]|[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u034f\u061c\u115f\u1160\u17b4"
    r"\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff"
    r"\uffa0\ufff9-\ufffb\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
# = + - @, their full-width and small forms, and the minus sign.
FORMULA_START = "[=+\\-@\uff1d\uff0b\uff0d\uff20\ufe66\ufe62\ufe63\ufe6b\u2212]"
SEPARATOR = re.compile("[,;\t\r\n]")
BREAKS = ("\t", "\r", "\n")
# What starts a formula once a spreadsheet has looked past invisible characters.
RUNNABLE = re.compile(f"(?:{INVISIBLE})*{FORMULA_START}")
ANY_FORMULA_START = re.compile(FORMULA_START)
# Most cells (names, addresses, dates) start with one of these and hold no separator, or
# hold nothing that starts a formula: neither can be run.
PLAIN_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def neutralise(value):
    """`value` (a cell's text) with a quote before anything a spreadsheet would run."""
    if not value or (value[0] in PLAIN_START and not SEPARATOR.search(value)):
        return value
    if value[0] not in BREAKS and not ANY_FORMULA_START.search(value):
        return value
    pieces, done = [], 0
    for start in _segments(value):
        if RUNNABLE.match(value, start) or (start == 0 and value[0] in BREAKS):
            pieces += [value[done:start], "'"]
            done = start
    return "".join(pieces) + value[done:]


def restore(value):
    """A cell as it was before `neutralise`."""
    if "'" not in value:
        return value
    pieces, done = [], 0
    for start in _segments(value):
        if value.startswith("'", start) and (
            RUNNABLE.match(value, start + 1) or (start == 0 and value[1:2] in BREAKS)
        ):
            pieces.append(value[done:start])
            done = start + 1
    return "".join(pieces) + value[done:]


def _segments(value):
    """Where the cell starts, and where a spreadsheet splitting it would start a cell."""
    yield 0
    for separator in SEPARATOR.finditer(value):
        yield separator.end()
