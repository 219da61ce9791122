"""Glossaries as spreadsheets: CSV (as LibreOffice and Excel write it) and ``.xlsx``.

One row per entry, under a header row whose columns a French editor reads (English names work
too, in any order, any case, with or without accents)::

    id;terme;sigles;variantes;définition;lien;étiquettes;casse;flexion;voir
    scop;société coopérative et participative;SCOP | Scop;;Société coopérative…;;statuts;non;oui;scic

Lists (``sigles``, ``variantes``, ``étiquettes``, ``voir``) are written with ``|`` between items
(``\\|`` for a pipe inside one); ``casse`` and ``flexion`` are ``oui`` or ``non`` (empty: the
default). The file is UTF-8, with or without a byte-order mark, its separator ``;``, ``,`` or a
tab (found from the header). Every problem names the file, the row's line and the column.
"""

from __future__ import annotations

import csv
import io
import re

from ..errors import Diagnostic, GlossaryError, closest
from ..text.french import fold_text
from .entries import Entry, Glossary
from .yamlsafe import Map, Node, Scalar, Seq

COLUMNS: tuple[tuple[str, str], ...] = (
    ("id", "id"), ("terme", "term"), ("sigles", "acronyms"), ("variantes", "variants"),
    ("définition", "definition"), ("lien", "url"), ("étiquettes", "tags"), ("casse", "case_sensitive"),
    ("flexion", "inflect"), ("voir", "see"), ("remplace", "override"), ("pas après", "not_after"),
    ("pas avant", "not_before"), ("seulement dans", "only_in"),
)  # fmt: skip
"""The header gloss writes, and the entry field each column holds."""
LISTS = ("acronyms", "variants", "tags", "see", "not_after", "not_before", "only_in")
FLAGS = {"case_sensitive": False, "inflect": True, "override": False}


def _norm(header: str) -> str:
    """A column's name as it is compared: no case, no accents, ``_`` as a space, spaces collapsed."""
    return " ".join(fold_text(header).replace("_", " ").split())


_ALIASES = {
    _norm(name): key
    for name, key in [
        *COLUMNS, *((key, key) for _, key in COLUMNS),
        ("acronymes", "acronyms"), ("acronyme", "acronyms"), ("sigle", "acronyms"), ("variante", "variants"),
        ("url", "url"), ("étiquette", "tags"), ("mots-clés", "tags"), ("voir aussi", "see"),
        ("sensible à la casse", "case_sensitive"), ("pas apres", "not_after"), ("seulement", "only_in"),
    ]
}  # fmt: skip
_NOTES = {"occurrences", "documents", "exemple", "exemples", "notes", "note", "commentaire", "commentaires", "remarques"}
"""Columns an editor (or gloss suggest) may add beside the entry's: ignored."""
_YES = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
_NO = {"non", "n", "no", "false", "faux", "0"}
_ITEM_SPLIT = re.compile(r"(?<!\\)\|")


def _key(header: str) -> str | None:
    return _ALIASES.get(_norm(header))


def _rows_to_glossary(rows: list[tuple[int, list[str]]], name: str) -> Glossary:
    """Entries from a header row and data rows, each with the line it starts on."""
    from .build import glossary_of
    from .schema import read_entry_nodes

    problems: list[Diagnostic] = []
    if not rows:
        raise GlossaryError([Diagnostic(name, 0, 0, "the spreadsheet is empty; its first row names the columns")])
    header_line, header = rows[0]
    keys: list[str | None] = []
    for column, title in enumerate(header, 1):
        key = _key(title) if title.strip() else None
        if title.strip() and key is None and _norm(title) in _NOTES:
            keys.append(None)  # an editor's own column (counts, examples, remarks): read past
            continue
        if title.strip() and key is None:
            close = closest(_norm(title), [_norm(french) for french, _ in COLUMNS])
            hint = f" (did you mean '{close}'?)" if close else f"; columns: {', '.join(french for french, _ in COLUMNS)}"
            problems.append(Diagnostic(name, header_line, column, f"unknown column '{title.strip()}'{hint}"))
        if key is not None and key in keys:
            problems.append(Diagnostic(name, header_line, column, f"column '{title.strip()}' appears twice; keep one"))
            key = None
        keys.append(key)
    for needed, french in (("term", "terme"), ("definition", "définition")):
        if needed not in keys:
            problems.append(Diagnostic(name, header_line, 1, f"no '{french}' column in the first row"))
    if any(p.severity == "error" for p in problems):
        raise GlossaryError(problems)
    nodes = []
    for line, cells in rows[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        pairs: list[tuple[Scalar, Node]] = []
        for column, (key, cell) in enumerate(zip(keys, cells, strict=False), 1):
            if key is None or not cell.strip():
                continue
            pairs.append((Scalar(key, True, line, column), _cell_node(key, cell, line, column, name, problems)))
        if len(cells) > len(keys) and any(cell.strip() for cell in cells[len(keys) :]):
            problems.append(
                Diagnostic(name, line, len(keys) + 1, "a cell beyond the last named column; name it in the first row")
            )
        nodes.append(Map(pairs, line, 1))
    entries, found = read_entry_nodes(nodes, name)
    return glossary_of(entries, problems + found, name)


_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _unguarded(cell: str) -> str:
    """A cell as written before :func:`_guarded` (the quote that kept it from being a formula, removed)."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(_FORMULA) else cell


def _guarded(cell: str) -> str:
    """A cell a spreadsheet cannot take for a formula (a leading quote, as OWASP advises for CSV)."""
    return "'" + cell if cell.startswith(_FORMULA) else cell


def _cell_node(key: str, cell: str, line: int, column: int, name: str, problems: list[Diagnostic]) -> Node:
    cell = _unguarded(cell)
    if key in LISTS:
        items = [item.strip().replace("\\|", "|") for item in _ITEM_SPLIT.split(cell)]
        return Seq([Scalar(item, False, line, column) for item in items if item], line, column)
    if key in FLAGS:
        value = cell.strip().lower()
        if value in _YES:
            return Scalar("true", True, line, column)
        if value in _NO:
            return Scalar("false", True, line, column)
        problems.append(Diagnostic(name, line, column, f"'{cell.strip()}' must be oui or non (or empty for the default)"))
        return Scalar("true" if FLAGS[key] else "false", True, line, column)
    return Scalar(cell, False, line, column)


def _delimiter(text: str) -> str:
    """The separator of a CSV file, read from its first line (outside quotes)."""
    first = text.split("\n", 1)[0]
    unquoted = re.sub(r'"[^"]*"', "", first)
    counts = {sep: unquoted.count(sep) for sep in ("\t", ";", ",")}
    return max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","


def read_csv(text: str, name: str = "<csv>", tab: bool = False) -> Glossary:
    """Read a glossary from CSV text (see the module).

    Raises:
        GlossaryError: listing every problem, each at its row's line and column.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter="\t" if tab else _delimiter(text), strict=True)
    rows, line = [], 1
    try:
        for cells in reader:
            rows.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise GlossaryError([Diagnostic(name, reader.line_num, 0, f"not a valid CSV file: {exc}")]) from None
    return _rows_to_glossary(rows, name)


def read_xlsx(data: bytes, name: str = "<xlsx>") -> Glossary:
    """Read a glossary from the first sheet of an ``.xlsx`` workbook (see the module).

    The workbook's XML is read by openpyxl with defusedxml, which refuses entity expansion.

    Raises:
        GlossaryError: the file is no workbook, or a row has problems (each at its row and column).
    """
    import zipfile

    try:
        from openpyxl import load_workbook  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - a declared dependency
        raise GlossaryError([Diagnostic(name, 0, 0, "reading .xlsx needs openpyxl: pip install openpyxl")]) from None
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise GlossaryError([Diagnostic(name, 0, 0, f"not an .xlsx workbook: {exc}")]) from None
    except Exception as exc:  # defusedxml's refusals and openpyxl's own errors have no common base
        raise GlossaryError([Diagnostic(name, 0, 0, f"cannot read the workbook: {type(exc).__name__}: {exc}")]) from None
    try:
        sheet = book.worksheets[0]
        rows = [
            (number, ["" if value is None else str(value) for value in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1)
        ]
    finally:
        book.close()
    return _rows_to_glossary(rows, name)


def entry_row(entry: Entry) -> list[str]:
    """An entry as the cells of its row, in the order of :data:`COLUMNS`."""
    cells = []
    for _, key in COLUMNS:
        value = getattr(entry, key)
        if key in LISTS:
            cells.append(" | ".join(item.replace("|", "\\|") for item in value))
        elif key in FLAGS:
            cells.append("" if value == FLAGS[key] else ("oui" if value else "non"))
        else:
            cells.append(value or "")
    return [_guarded(cell) for cell in cells]


def write_csv(glossary: Glossary, tab: bool = False) -> bytes:
    """The glossary as CSV: a header row, one row per entry, ``;`` between cells (a tab for TSV),
    UTF-8 with a byte-order mark (so that Excel reads the accents)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, dialect="excel-tab" if tab else "excel", delimiter="\t" if tab else ";")
    writer.writerow([french for french, _ in COLUMNS])
    writer.writerows(entry_row(entry) for entry in glossary)
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8")


def write_xlsx(glossary: Glossary) -> bytes:
    """The glossary as an ``.xlsx`` workbook: one sheet, a header row, one row per entry."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = (glossary.title or "Glossaire")[:31].translate(str.maketrans("[]:*?/\\", "_______"))
    sheet.append([french for french, _ in COLUMNS])
    for number, entry in enumerate(glossary, 2):
        sheet.append(entry_row(entry))
        for cell in sheet[number]:
            cell.data_type = "s"  # text, never a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
