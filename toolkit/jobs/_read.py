"""The one reader of a user's file of handles or emails: CSV (any common delimiter) or Excel.

Every path that takes a file reads it here: ``client.batch.create`` (strictly: the API's
one-column format), ``client.batch.run``, ``client.creators.enrich_many`` and the
``influencers-club`` command. Whatever it cannot read with certainty it refuses with
:class:`CsvInputError` (an :class:`~toolkit.ArgumentError`), naming the file and the line,
before anything is sent: a wrongly read file is a list of paid lookups of wrong values.

- size: the file is measured before it is read (at most :data:`MAX_INPUT_BYTES`, a
  setting); a directory, a device or a pipe is refused at once;
- text: UTF-8 unless ``encoding=``; NUL and other control characters are refused;
- delimiter: ``,`` ``;`` tab or ``|``, told by :class:`csv.Sniffer` (or Excel's ``sep=``
  first line); a value that still holds one of them is refused, since no handle or email
  does (a semicolon file read as commas would send ``name;123``);
- kind: a handle column holding e-mail addresses is refused (and the reverse), since the
  API would bill each as a creator lookup;
- Excel: an ``.xlsx`` workbook is read like a CSV (the first sheet, or ``sheet=``); the
  ``openpyxl`` package (the ``notebook`` extra) reads it.
"""

from __future__ import annotations

import csv
import io
import os
import re
import stat
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from toolkit._checks import is_email
from toolkit._exceptions import ArgumentError

__all__ = [
    "MAX_INPUT_BYTES",
    "CsvInputError",
    "CsvInputs",
    "load_bytes",
    "read_csv",
]

#: Largest input file read, checked before reading (a list of a million handles is ~20 MB).
MAX_INPUT_BYTES = 64 * 1024 * 1024
#: Words that name the column of values, matched as whole words (case-insensitively):
#: ``handle``, ``Instagram handle``, ``profile_url``, ``E-mail address`` name it;
#: ``channelnewsasia`` or ``the_user`` (handles) do not.
_HEADER_WORDS = frozenset(
    [
        "handle",
        "handles",
        "email",
        "emails",
        "mail",
        "username",
        "usernames",
        "user",
        "users",
        "url",
        "urls",
        "profile",
        "profiles",
        "channel",
        "channels",
        "link",
        "links",
        "account",
        "accounts",
    ]
)
#: Words a header may hold beside them (``Instagram handle``, ``creator username``).
_HEADER_QUALIFIERS = frozenset(
    [
        "instagram",
        "ig",
        "tiktok",
        "tt",
        "youtube",
        "yt",
        "twitter",
        "x",
        "twitch",
        "creator",
        "creators",
        "influencer",
        "influencers",
        "name",
        "names",
        "id",
        "social",
        "address",
        "addresses",
        "contact",
        "e",
        "page",
    ]
)
_DELIMITERS = ",;\t|"
#: Control characters no handle or email holds (tab, CR and LF are whitespace, refused later).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # Excel 97-2003 (.xls)


class CsvInputError(ArgumentError):
    """A file of handles or emails that cannot be read as one; nothing was sent.

    ``path``: the file (``None`` for bytes); ``line``: the line (a CSV) or row (a
    workbook) at fault, when one is. The message says how to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        operation: str | None = None,
        argument: str | None = "file",
    ) -> None:
        self.path = path
        self.line = line
        super().__init__(message, operation=operation, argument=argument)


#: The same class under a name that does not say CSV (a workbook is read here too).


@dataclass
class CsvInputs:
    """The values of one column of a file, and what was noticed while reading it.

    ``lines``: the line (or workbook row) of each value, for messages about one of them.
    """

    values: list[str]
    column: str | None  # None: the file had no header row
    path: str
    notes: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    delimiter: str | None = None  # None: a workbook


def load_bytes(
    source: str | os.PathLike[str] | bytes, *, limit: int | None = None, what: str = "inputs"
) -> tuple[bytes, str]:
    """A file's bytes and its name, refused before reading if it is not a regular file of at
    most ``limit`` bytes (:data:`MAX_INPUT_BYTES` unless given)."""
    limit = MAX_INPUT_BYTES if limit is None else limit
    if isinstance(source, bytes):
        if len(source) > limit:
            raise CsvInputError(_too_big("the file", len(source), limit, what))
        return source, "<bytes>"
    name = os.fspath(source)
    try:
        info = os.stat(name)
    except FileNotFoundError:
        raise FileNotFoundError(f"no such file: {name}") from None
    except OSError as exc:
        raise CsvInputError(f"{name} cannot be read: {exc.strerror}", path=name) from None
    if stat.S_ISDIR(info.st_mode):
        raise CsvInputError(f"{name} is a directory; give the CSV or Excel file in it", path=name)
    if not stat.S_ISREG(info.st_mode):
        raise CsvInputError(
            f"{name} is not a regular file (a device, pipe or socket); give a CSV or Excel file",
            path=name,
        )
    if info.st_size > limit:
        raise CsvInputError(_too_big(name, info.st_size, limit, what), path=name)
    with open(name, "rb") as fh:
        raw = fh.read(limit + 1)  # a file growing while read still stops at the limit
    if len(raw) > limit:
        raise CsvInputError(_too_big(name, len(raw), limit, what), path=name)
    return raw, name


def _too_big(name: str, size: int, limit: int, what: str) -> str:
    return (
        f"{name} is over {limit / 2**20:.0f} MB ({size / 2**20:.1f} MB or more); {what} are "
        f"read up to {limit / 2**20:.0f} MB: split the file"
    )


def read_csv(
    source: str | os.PathLike[str] | bytes,
    *,
    column: str | None = None,
    header: bool | None = None,
    encoding: str = "utf-8",
    kind: str | None = None,
    sheet: str | int | None = None,
    strict: bool = False,
    limit: int | None = None,
    operation: str | None = None,
) -> CsvInputs:
    """Read the handles or emails of a CSV file or an Excel workbook (a path or its bytes).

    ``column``: the header of the column to read; needed only when several columns could
    be it. ``header``: ``None`` guesses (a first row that names a handle/email/url/user
    column is a header), ``False`` reads every line as a value. ``kind`` (``"handle"`` or
    ``"email"``): refuse a file of the other kind. ``sheet``: a workbook's sheet (name or
    0-based index; the first by default). ``strict``: the API's upload format, exactly one
    column headed ``kind`` (``client.batch.create``). Blank cells are skipped.

    Raises :class:`CsvInputError` (see the module docstring for what is refused).
    """
    raw, name = load_bytes(source, limit=limit)
    try:
        if raw[:4] == _ZIP:
            rows = _xlsx_rows(raw, name, sheet)
            delimiter = None
        elif raw[:4] == _OLE:
            raise CsvInputError(
                f"{name} is an Excel 97-2003 workbook (.xls); save it as .xlsx or as CSV UTF-8",
                path=_path(name),
            )
        else:
            if sheet is not None:
                raise CsvInputError(
                    f"{name} is a CSV file; sheet= chooses a sheet of an Excel workbook only",
                    path=_path(name),
                    argument="sheet",
                )
            text = _decode(raw, encoding, name)
            delimiter, text, skipped = _delimiter(text)
            rows = _csv_rows(text, delimiter, name, skipped)
        got = _collect(rows, name, column=column, header=header, strict=strict, kind=kind)
        got.delimiter = delimiter
        if kind is not None:
            _check_kind(got, kind)
        return got
    except CsvInputError as exc:
        if operation and not exc.operation:
            raise CsvInputError(
                str(exc), path=exc.path, line=exc.line, operation=operation, argument=exc.argument
            ) from None
        raise


def _path(name: str) -> str | None:
    return None if name == "<bytes>" else name


def _decode(raw: bytes, encoding: str, name: str) -> str:
    try:
        text = raw.decode(
            "utf-8-sig" if encoding.lower().replace("_", "-") == "utf-8" else encoding
        )
    except UnicodeDecodeError as exc:
        hint = ""
        if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = " It looks like UTF-16 (Excel's 'Unicode text'): pass encoding='utf-16'."
        line = raw.count(b"\n", 0, exc.start) + 1
        raise CsvInputError(
            f"{name} is not {encoding} text (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}, line {line}). Save it as 'CSV UTF-8', or pass encoding= "
            f"(e.g. 'cp1252' for older Excel files).{hint}",
            path=_path(name),
            line=line,
        ) from None
    except LookupError:
        raise CsvInputError(
            f"unknown text encoding encoding={encoding!r} (e.g. 'utf-8', 'cp1252', 'utf-16')",
            argument="encoding",
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise CsvInputError(
            f"{name} holds NUL characters (line {line}): it is not a text CSV (a binary file, or "
            "UTF-16 read as UTF-8?)",
            path=_path(name),
            line=line,
        )
    return text


def _delimiter(text: str) -> tuple[str, str, int]:
    """The delimiter (Excel's ``sep=`` line, else sniffed, else a comma), the text without a
    ``sep=`` line, and how many lines were dropped from its start."""
    first, _, rest = text.partition("\n")
    hint = re.fullmatch(r"\s*sep=(.)\s*", first)
    if hint:
        return hint.group(1), rest, 1
    sample = text[:16384]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter, text, 0
    except csv.Error:  # one column, or no consistent delimiter: read as commas, checked below
        return ",", text, 0


def _csv_rows(
    text: str, delimiter: str, name: str, skipped: int
) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = skipped
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            at = reader.line_num + skipped
            raise CsvInputError(
                f"{name}, line {at}: a value no handle or email can be ({exc}; an unclosed quote?)",
                path=_path(name),
                line=at,
            ) from None
        line = reader.line_num + skipped
        yield line, row


def _xlsx_rows(raw: bytes, name: str, sheet: str | int | None) -> Iterator[tuple[int, list[str]]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = archive.namelist()
        unpacked = sum(i.file_size for i in archive.infolist())
    except zipfile.BadZipFile:
        raise CsvInputError(f"{name} is a damaged ZIP or Excel file", path=_path(name)) from None
    if "xl/workbook.xml" not in names:
        raise CsvInputError(
            f"{name} is a ZIP archive, not an Excel workbook (.xlsx) or a CSV", path=_path(name)
        )
    if unpacked > 8 * MAX_INPUT_BYTES:
        raise CsvInputError(
            f"{name} unpacks to {unpacked / 2**20:.0f} MB; workbooks are read up to "
            f"{8 * MAX_INPUT_BYTES / 2**20:.0f} MB unpacked: split it",
            path=_path(name),
        )
    try:
        import openpyxl
    except ImportError:
        from toolkit.frames._export import EXCEL_EXTRA

        raise CsvInputError(
            f"{name} is an Excel workbook; reading one needs openpyxl: pip install "
            f"'influencers-club-toolkit[{EXCEL_EXTRA}]' (or save the sheet as CSV UTF-8)",
            path=_path(name),
        ) from None
    try:
        book = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise CsvInputError(
            f"{name} cannot be read as an Excel workbook ({type(exc).__name__}: {exc})",
            path=_path(name),
        ) from None
    sheets = book.sheetnames
    if sheet is None:
        chosen = sheets[0]
    elif isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(sheets):
        chosen = sheets[sheet]
    elif isinstance(sheet, str) and sheet in sheets:
        chosen = sheet
    else:
        raise CsvInputError(
            f"{name} has no sheet {sheet!r}; its sheets: {', '.join(sheets)}",
            path=_path(name),
            argument="sheet",
        )
    return _sheet_rows(book, chosen)


def _sheet_rows(book: Any, sheet: str) -> Iterator[tuple[int, list[str]]]:
    try:
        for number, row in enumerate(book[sheet].iter_rows(values_only=True), 1):
            yield number, [_cell(v) for v in row]
    finally:
        book.close()


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # an id typed as a number: 12345, not 12345.0
    return str(value)


def _collect(
    rows: Iterable[tuple[int, list[str]]],
    name: str,
    *,
    column: str | None,
    header: bool | None,
    strict: bool,
    kind: str | None,
) -> CsvInputs:
    """The values of the one column, line by line, with every check on the way."""
    where = _path(name)
    it = iter((n, r) for n, r in rows if any(c.strip() for c in r))
    try:
        first_line, first_row = next(it)
    except StopIteration:
        what = f"give a {kind!r} column with rows" if strict else "no handles or emails to read"
        raise CsvInputError(f"{name} is empty: {what}", path=where) from None
    first = [c.strip() for c in first_row]
    while first and not first[-1]:
        first.pop()  # trailing empty cells (a spreadsheet's blank columns)
    notes: list[str] = []
    if strict:
        _strict_header(first, kind or "handle", name)
        header, index = True, 0
    else:
        if header is None:
            header = column is not None or any(_names_values(c) for c in first)
        index = _pick_column(first, column, name) if header else 0
        if not header and len(first) > 1 and column is None:
            raise CsvInputError(_no_header_message(name, first), path=where, line=first_line)
    values: list[str] = []
    lines: list[int] = []
    body: Iterable[tuple[int, list[str]]] = it if header else [(first_line, first_row), *it]
    for line, row in body:
        filled = [i for i, c in enumerate(row) if c.strip()]
        if not header and filled and filled[-1] > 0:
            raise CsvInputError(
                f"{name}, line {line}: {filled[-1] + 1} values on one line and no header row "
                "naming the column of handles or emails; add a header (e.g. 'handle') or keep "
                "one column",
                path=where,
                line=line,
            )
        if header and len(first) == 1 and filled and filled[-1] > 0:
            raise CsvInputError(
                f"{name}, line {line}: {len(filled)} values where the header has one column "
                f"({first[0]!r}); the API wants one value per row. A delimiter the file did not "
                "declare?",
                path=where,
                line=line,
            )
        cell = row[index].strip() if len(row) > index else ""
        _check_cell(cell, name, line)
        if cell:
            values.append(cell)
            lines.append(line)
    if strict and not values:
        raise CsvInputError(f"the file has a {kind!r} header but no rows", path=where)
    if header:
        column_name: str | None = first[index]
        shown = ",".join(first) if len(first) > 1 else first[0]
        notes.append(f"first line {shown!r} read as the header")
        if len(first) > 1:
            notes.append(f"read column {first[index]!r} of {len(first)}")
    else:
        column_name = None
        notes.append("no header row: every line was read as a value")
    return CsvInputs(values, column_name, name, notes, lines)


def _strict_header(first: list[str], kind: str, name: str) -> None:
    header = [c.lower() for c in first]
    if header == [kind]:
        return
    what = (
        f"{len(header)} columns ({', '.join(header)[:60]})"
        if len(header) > 1
        else f"the header {first[0] if first else ''!r}"
    )
    raise CsvInputError(
        f"the file has {what}; the API wants exactly one column headed {kind!r}",
        path=_path(name),
        line=1,
    )


def _check_cell(cell: str, name: str, line: int) -> None:
    """Refuse a value no handle or email can be: a control character, a delimiter."""
    bad = _CONTROL.search(cell)
    if bad:
        raise CsvInputError(
            f"{name}, line {line}: a control character (0x{ord(bad.group()):02x}) in "
            f"{cell[:40]!r}; no handle or email holds one",
            path=_path(name),
            line=line,
        )
    stray = next((d for d in _DELIMITERS if d in cell), None)
    if stray is not None:
        shown = {"\t": "a tab", ",": "a comma", ";": "a semicolon", "|": "a '|'"}[stray]
        raise CsvInputError(
            f"{name}, line {line}: {cell[:60]!r} holds {shown}, which no handle or email "
            "does; the file's delimiter could not be told from its lines. Save it as a "
            "comma-separated CSV with one value per line",
            path=_path(name),
            line=line,
        )


def _check_kind(got: CsvInputs, kind: str) -> None:
    if kind == "handle":
        for value, line in zip(got.values, got.lines, strict=True):
            if is_email(value.strip()):
                raise CsvInputError(
                    f"{got.path}, line {line}: {value!r} is an e-mail address, but handles were "
                    "asked for (each would be billed as a creator lookup). Enrich e-mail "
                    "addresses with an e-mail mode: basic or advanced (batch), email (one at a "
                    "time)",
                    path=_path(got.path),
                    line=line,
                )
    elif kind == "email" and got.values and not any(is_email(v) for v in got.values):
        raise CsvInputError(
            f"{got.path}: none of its {len(got.values)} values is an e-mail address (line "
            f"{got.lines[0]}: {got.values[0]!r}), but e-mails were asked for. Handles need a "
            "handle mode (raw or full) and a platform",
            path=_path(got.path),
            line=got.lines[0],
        )


def _no_header_message(name: str, first: list[str]) -> str:
    return (
        f"{name}: none of the {len(first)} columns of its first row {first} is named like "
        "handles or emails (handle, email, username, profile_url ...). If that row is a header, "
        "pass column= with the one holding the values; if the file has no header row, add one "
        "(e.g. 'handle') or keep one column"
    )


def _names_values(cell: str) -> bool:
    """Whether a first-line cell is a header naming the values: header words as whole words
    (beside a platform or the like), never a URL, a domain or an @ value (those are values)."""
    text = cell.strip()
    if not text or any(ch in text for ch in "@/.:"):
        return False
    words = re.split(r"[^a-z0-9]+", re.sub(r"(?<=[a-z])(?=[A-Z])", " ", text).lower())
    words = [w for w in words if w]
    return any(w in _HEADER_WORDS for w in words) and all(
        w in _HEADER_WORDS or w in _HEADER_QUALIFIERS for w in words
    )


def _pick_column(first: list[str], column: str | None, name: str) -> int:
    if column is not None:
        lowered = [c.lower() for c in first]
        if column.lower() not in lowered:
            raise CsvInputError(
                f"{name} has no column {column!r}; its columns: {first}",
                path=_path(name),
                argument="column",
            )
        return lowered.index(column.lower())
    if len(first) == 1:
        return 0
    exact = [i for i, c in enumerate(first) if c.lower() in ("handle", "email")]
    candidates = exact or [i for i, c in enumerate(first) if _names_values(c)]
    if len(candidates) != 1:
        raise CsvInputError(
            f"{name} has {len(first)} columns {first}; say which holds the values with column=",
            path=_path(name),
            argument="column",
        )
    return candidates[0]
