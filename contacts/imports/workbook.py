"""Checking an uploaded workbook against the limits of contacts/imports/limits.py from its bytes
alone, before a reader (python-calamine, openpyxl) lays it out in memory: a reader can't be
stopped half way, and a 1.6 KB workbook whose only cell is XFD1048576 made one allocate the
whole 16,384 × 1,048,576 rectangle and abort the process.

- A workbook is a zip archive. Its directory is checked before anything is inflated: number of
  parts, each part's size and compression ratio, their total (zip bombs). Then every part is
  inflated here, in pieces, never past the size it declares (a part holding more is refused,
  as calamine's reader stops at it too: the lexer sees what a reader would) and must declare
  no XML entities.
- Every part is lexed for the elements a reader allocates from: a sheet's <dimension>, each
  <row> and <c> (cell) with its position, each shared string. Any sheet, not only the first: a
  reader can be pointed at another part than the one we would guess. The lexer errs towards
  refusing: a cell tag it can't read exactly refuses the file.
"""

import codecs
import io
import itertools
import re
import struct
import zipfile
import zlib
from operator import itemgetter

from contacts.imports.limits import (
    NOT_A_WORKBOOK,
    SPLIT,
    ImportFileError,
    beyond_last_column,
    check_size,
    column_letters,
    limits,
    too_many_cells,
    too_many_rows,
)

END_OF_DIRECTORY = struct.Struct(zipfile.structEndArchive)
LOCAL_HEADER = struct.Struct(zipfile.structFileHeader)
# Pieces of a part, inflated at a time; and how far back a tag may start in one.
PIECE = 1024 * 1024
LONGEST_TAG = 4096
# The elements a reader makes something of: any namespace prefix, as readers ignore it.
NAME = rb"<(?:[^\s<>/:=]+:)?(c|row|dimension|si)(?=[\s/>])"
TAG_START = re.compile(NAME)
# The same tag read exactly: attributes in quotes, no < or > in them, r (if first) captured.
TAG = re.compile(
    NAME + rb"(?:\s+r\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)'))?"
    rb"((?:\s+[^\s<>/=]+\s*=\s*(?:\"[^\"<>]*\"|'[^'<>]*'))*)\s*/?>"
)
ATTRIBUTE = re.compile(rb"([^\s<>/=]+)\s*=\s*(?:\"([^\"<>]*)\"|'([^'<>]*)')")
# How Excel, LibreOffice and openpyxl write a cell: the reference first, plain. Read much
# faster than with TAG when every tag starting "<c" of a piece is one.
PLAIN_CELL = re.compile(rb'<c r="([A-Z]{1,3})([1-9][0-9]{0,6})"')
PLAIN_ROW = re.compile(rb'<row r="([1-9][0-9]{0,6})"')
PREFIXED = re.compile(rb":(?:c|row|dimension|si)[\s/>]")
ENTITIES = re.compile(rb"<!(?:DOCTYPE|ENTITY)")


def check_workbook(data, cells=True):
    """Refuse a workbook past a limit, from its bytes alone. With cells=False, only what is
    quick to see (the archive's directory, each sheet's declared dimension), for the upload
    request; the import reads with cells=True. Returns the (rows, columns) a reader will lay
    out, heading included."""
    check_size(len(data))
    limit = limits()
    parts = archive_parts(data, limit)
    extent = Extent(limit)
    for part in parts:
        pieces = inflated(data, part)
        extent.read(texts(pieces if cells else first_piece(pieces)), stop_at_cells=not cells)
    return extent.rows, extent.columns


def archive_parts(data, limit):
    """The archive's parts, checked from its directory before anything is inflated."""
    end = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if end < 0 or len(data) < end + END_OF_DIRECTORY.size:
        raise ImportFileError(NOT_A_WORKBOOK)
    fields = END_OF_DIRECTORY.unpack_from(data, end)
    # The directory's size bounds what opening the archive allocates: about 100 bytes a part.
    if fields[4] > limit.max_parts or fields[5] > limit.max_parts * 1024:
        raise ImportFileError(f"The workbook has more than {limit.max_parts:,} parts.")
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception:  # zipfile raises several kinds for a damaged archive
        raise ImportFileError(NOT_A_WORKBOOK) from None
    if len(parts) > limit.max_parts:
        raise ImportFileError(f"The workbook has more than {limit.max_parts:,} parts.")
    if len({part.filename for part in parts}) < len(parts):
        raise ImportFileError(NOT_A_WORKBOOK)  # two parts of one name: which is read?
    total = 0
    for part in parts:
        if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ImportFileError(NOT_A_WORKBOOK)
        ratio = part.file_size / max(part.compress_size, 1)
        if part.file_size > limit.ratio_checked_above and ratio > limit.max_compression_ratio:
            raise ImportFileError(
                f"{part.filename[:100]} in the workbook is compressed more than "
                f"{limit.max_compression_ratio} times, as a zip bomb is: it was not read."
            )
        total += part.file_size
    if total > limit.max_unpacked_bytes:
        raise ImportFileError(
            f"The workbook unpacks to more than {limit.max_unpacked_bytes // 2**20} MB: {SPLIT}"
        )
    return parts


def inflated(data, part):
    """The part's bytes, a piece at a time, inflated here: refused as soon as it is bigger
    than the directory says, or if its stream ends early."""
    start = part.header_offset
    header = LOCAL_HEADER.unpack_from(data, start) if start + 30 <= len(data) else None
    if header is None or header[0] != b"PK\x03\x04":
        raise ImportFileError(NOT_A_WORKBOOK)
    start += LOCAL_HEADER.size + header[10] + header[11]
    packed = memoryview(data)[start : start + part.compress_size]
    if len(packed) < part.compress_size:
        raise ImportFileError(NOT_A_WORKBOOK)
    if part.compress_type == zipfile.ZIP_STORED:
        if part.compress_size != part.file_size:
            raise ImportFileError(NOT_A_WORKBOOK)
        for offset in range(0, len(packed), PIECE):
            yield packed[offset : offset + PIECE].tobytes()
        return
    inflater, produced = zlib.decompressobj(-zlib.MAX_WBITS), 0
    inputs = (packed[offset : offset + 65_536] for offset in range(0, len(packed), 65_536))
    try:
        for pending in itertools.chain(inputs, [b""]):
            while not inflater.eof:
                piece = inflater.decompress(pending, PIECE)
                pending = inflater.unconsumed_tail
                produced += len(piece)
                if produced > part.file_size:
                    raise ImportFileError(
                        f"{part.filename[:100]} in the workbook is bigger than it says: the "
                        "file is damaged, or made to harm. It was not read."
                    )
                if piece:
                    yield piece
                if not pending and len(piece) < PIECE:
                    break  # this input is used up
            if inflater.eof:
                break
    except zlib.error:
        raise ImportFileError(NOT_A_WORKBOOK) from None
    if not inflater.eof or produced != part.file_size:
        raise ImportFileError(NOT_A_WORKBOOK)


def first_piece(pieces):
    yield next(pieces, b"")


def texts(pieces):
    """The part's text in pieces that end before a tag, for the lexer: a tag cut by the end
    of a piece is read with the next. Nothing for a part no reader takes for XML."""
    tail = b""
    for number, piece in enumerate(pieces):
        if number == 0 and not is_text(piece):
            for _ in pieces:  # still inflated to the end: no bigger than it says
                pass
            return
        text = tail + piece
        cut = text.rfind(b"<", max(0, len(text) - LONGEST_TAG))
        text, tail = (text, b"") if cut < 0 else (text[:cut], text[cut:])
        yield text
    yield tail


def is_text(start):
    """Whether a part may be read as XML. Not if it starts with bytes that aren't UTF-8 (an
    image, printer settings): calamine stops at them, before any cell. XML in UTF-16, which
    this lexer can't read and no workbook is written in, is refused."""
    if start[:2] in (b"\xff\xfe", b"\xfe\xff", b"<\x00", b"\x00<"):
        raise ImportFileError(NOT_A_WORKBOOK)
    head = start[:LONGEST_TAG]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return True  # XML, whatever encoding it declares
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head)
    except UnicodeDecodeError:
        return False
    return True


class Extent:
    """Where a workbook's cells are, as a reader would place them, refused past the limits.
    Every cell counts, an empty formatted one too."""

    def __init__(self, limit):
        self.limit, self.rows, self.columns, self.cells, self.strings = limit, 0, 0, 0, 0
        self.highest_row = limit.max_rows + 1  # the heading row is row 1
        self.row = self.column = 0  # of the last row and cell read, for those with no r

    def read(self, texts, stop_at_cells=False):
        self.row = self.column = 0
        for text in texts:
            plain = None
            if not (
                stop_at_cells
                or b"<dimension" in text
                or PREFIXED.search(text)
                or ENTITIES.search(text)
            ):
                plain = PLAIN_CELL.findall(text), PLAIN_ROW.findall(text)
                # Not if there are <cols>, or other ways to write a cell or a row.
                if (len(plain[0]), len(plain[1])) != (text.count(b"<c"), text.count(b"<row")):
                    plain = None
            if plain is not None:
                self.read_plain(*plain, text)
            elif self.read_tags(text, stop_at_cells):
                return
            if max(self.cells, self.strings, self.rows * self.columns) > self.limit.max_cells:
                raise too_many_cells(self.limit)

    def read_plain(self, cells, rows, text):
        """Plain cells and rows, placed as a whole. For a cell with no reference after them,
        the row and column it would follow are taken as the greatest: never less than a
        reader's."""
        self.strings += text.count(b"<si")
        if rows:
            self.row = max(self.row, int(rows[-1]))
        if cells:
            self.cells += len(cells)
            self.row = max(self.row, max(map(int, set(map(itemgetter(1), cells)))))
            self.column = max(map(column_number, set(map(itemgetter(0), cells))))
            self.place(self.row, self.column)

    def read_tags(self, text, stop_at_cells):
        """Each tag read exactly; True if told to stop at the first cell and there."""
        if ENTITIES.search(text):
            raise ImportFileError(NOT_A_WORKBOOK)  # no workbook declares entities
        tags = TAG.findall(text)
        if len(tags) != len(TAG_START.findall(text)):
            raise ImportFileError(NOT_A_WORKBOOK)  # a tag this lexer can't read exactly
        for name, first_r, first_r_quoted, others in tags:
            ref = first_r or first_r_quoted or other_r(others)
            if name in (b"c", b"row") and stop_at_cells:
                return True
            if name == b"c":
                if ref:
                    self.column, row = self.position(ref)
                    self.row = max(self.row, row)  # the greatest a reader may follow
                else:  # a cell without a reference follows the one before it
                    self.column, row = self.column + 1, self.row
                self.cells += 1
                self.place(row, self.column)
            elif name == b"row":
                self.row, self.column = (self.number(ref) if ref else self.row + 1), 0
            elif name == b"si":
                self.strings += 1
            else:
                for corner in filter(None, (other_r(others, b"ref") or b"").split(b":")):
                    self.place(*reversed(self.position(corner)))
        return False

    def place(self, row, column):
        if column > self.limit.max_columns:
            raise beyond_last_column(self.limit, f"at {column_letters(column)}{row}")
        if row > self.highest_row:
            raise too_many_rows(self.limit)
        self.rows, self.columns = max(self.rows, row), max(self.columns, column)

    def position(self, ref):
        """(column, row) of a reference such as CV200; column 0 if it has no letters."""
        digits = ref.lstrip(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return column_number(ref[: len(ref) - len(digits)]), self.number(digits)

    @staticmethod
    def number(digits):
        if not digits.isdigit():
            raise ImportFileError(NOT_A_WORKBOOK)
        digits = digits.lstrip(b"0") or b"0"
        return int(digits) if len(digits) < 10 else 10**10  # past any limit, however long


def column_number(letters):
    number = 0
    for letter in letters.upper()[:4]:  # four letters are past any limit already
        number = number * 26 + letter - 64
    return number


def other_r(attributes, wanted=b"r"):
    """The value of attribute `wanted` among `attributes`, when it isn't the first."""
    if wanted not in attributes:
        return None
    for name, value, quoted in ATTRIBUTE.findall(attributes):
        if name == wanted:
            return value or quoted
    return None
