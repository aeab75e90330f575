"""Jupyter notebooks: the code cells, in order, linted as one module.

A mask built in cell 2 and misused in cell 5 is found because the cells are one module, as the
kernel runs them top to bottom.  Positions name the cell as Ruff does (``nb.ipynb:cell 5:3:17``;
cells are counted 1-based among all cells, Markdown included, as a notebook shows them).

IPython syntax is not Python: in a cell that does not parse as it is, ``%time stmt`` (and
``%timeit``, ``%prun``) becomes ``if 1: stmt`` in the same columns, so the statement is linted;
other line magics, shell lines (``!pip``, ``x = !ls``) and help lines (``obj?``, ``?obj``)
become ``pass`` at their own indentation, and a cell magic (``%%bash``) blanks its cell unless it runs Python
(``%%time``, ``%%timeit``, ``%%capture``...); lines are never added or removed, so positions do
not shift.

Reading uses the standard ``json`` module and nbformat's validator (when nbformat is installed);
anything that is not a version-4 notebook is a :class:`NotebookError`, reported as one ML900
line.  Fixes are applied to the cells' own source and the file is written back with ``json``
in the layout it had (indentation, key order, escaping, final newline): only the changed
source lines differ, outputs and metadata are untouched.  A notebook whose layout ``json``
cannot reproduce is not written (the fix is reported as not applied).
"""
from __future__ import annotations

import ast
import json
import re
import warnings
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Sequence, Tuple

SUFFIX = ".ipynb"
#: cell magics whose body is Python
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3",
                                "markdown_if_python"})
_ASSIGN_FROM_SHELL = re.compile(r"^[ \t]*[\w.\[\], ]+=\s*[!%]")
_TIMED = re.compile(r"%(time|timeit|prun) +(?!-)")  # line magics that run the rest of the line
_HELP = re.compile(r"^[ \t]*(\?\??[\w.]+|[\w.]+\?\??)\s*$")


class NotebookError(Exception):
    """Not a notebook masklint can read; the message becomes the file's ML900 line."""


def is_notebook(path: str) -> bool:
    return path.endswith(SUFFIX)


@dataclass
class CodeCell:
    index: int  # 1-based among all cells
    position: int  # index in the JSON "cells" list
    text: str  # the source as written
    python: str  # the source as linted (IPython lines made ``pass``)
    start: int  # its first line in the module (1-based)
    lines: int  # how many lines it has in the module


def _source_text(source: Any) -> str:
    if isinstance(source, list) and all(isinstance(s, str) for s in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError("invalid notebook: a cell's source is neither a string nor a list of strings")


def _syntax_error(text: str) -> Optional[Tuple[int, int, str]]:
    """(line, column, message) when CPython rejects ``text``, else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(text)
    except SyntaxError as e:
        return (e.lineno or 1, e.offset or 1, f"SyntaxError: {e.msg} (this cell is not analysed)")
    except (ValueError, RecursionError, MemoryError) as e:
        return (1, 1, f"cannot parse this cell: {e}")
    return None


def ipython_to_python(text: str) -> str:
    """The cell as Python, line for line (see the module docstring)."""
    if _syntax_error(text) is None:
        return text
    lines = text.split("\n")
    first = lines[0].strip()
    if first.startswith("%%"):
        name = first[2:].split(None, 1)[0] if first[2:].strip() else ""
        if name not in PYTHON_CELL_MAGICS:
            return "\n".join("" for _ in lines)
        lines[0] = ""
    out = []
    continued = False  # the previous line was IPython syntax ending with a backslash
    for line in lines:
        stripped = line.lstrip()
        indent = line[: len(line) - len(stripped)]
        if continued:  # `!apt-get install \` goes on here: part of the shell command
            out.append("")
            continued = line.rstrip().endswith("\\")
            continue
        timed = _TIMED.match(stripped)
        if timed and _syntax_error(stripped[timed.end():]) is None:  # `%time out = f(x)`: the statement is Python
            out.append(indent + "if 1:".ljust(timed.end()) + stripped[timed.end():])
        elif stripped.startswith(("%", "!")) or _ASSIGN_FROM_SHELL.match(line) or _HELP.match(line):
            out.append(f"{indent}pass")
            continued = line.rstrip().endswith("\\")
        else:
            out.append(line)
    return "\n".join(out)


def _validate(data: Dict[str, Any]) -> None:
    try:
        import nbformat
    except ImportError:  # the structural checks below still hold
        return
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nbformat.validate(data)
    except nbformat.ValidationError as exc:
        first = getattr(exc, "message", None) or (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in getattr(exc, "absolute_path", ()) or ())
        cell = _cell_of(where)
        raise NotebookError(f"invalid notebook: {where.lstrip('.') + ': ' if where else ''}{first}{cell}") from None
    except Exception as exc:  # noqa: BLE001 - the validator itself failed: lint what can be read
        del exc


def _cell_of(where: str) -> str:
    """`` (cell 4)`` for a schema path inside ``cells[3]``: cells are counted from 1, as shown."""
    m = re.match(r"\.cells\[(\d+)\]", where)
    return f" (cell {int(m.group(1)) + 1})" if m else ""


class Notebook:
    def __init__(self, text: str, data: Dict[str, Any], bom: bool = False):
        self.text = text
        self.bom = bom
        self.data = data
        self.cells: List[CodeCell] = []
        self.cell_errors: List[Tuple[int, int, int, str]] = []  # (cell, line, column, message)
        parts = []
        line = 1
        for position, cell in enumerate(data["cells"]):
            if not isinstance(cell, dict):
                raise NotebookError("invalid notebook: a cell is not an object")
            if cell.get("cell_type") != "code":
                continue
            source = _source_text(cell.get("source", ""))
            python = ipython_to_python(source)
            count = python.count("\n") + (0 if python.endswith("\n") or not python else 1)
            error = _syntax_error(python)
            if error is not None:  # one bad cell costs that cell: reported, blanked, the rest is linted
                self.cell_errors.append((position + 1, *error))
                python = "\n" * count
            if python and not python.endswith("\n"):
                python += "\n"
            self.cells.append(CodeCell(position + 1, position, source, python, line, count))
            parts.append(python)
            line += count
        self.source = "".join(parts)

    # --- reading ---------------------------------------------------------------------------
    @classmethod
    def from_bytes(cls, raw: bytes) -> "Notebook":
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise NotebookError(f"invalid notebook: not UTF-8 (byte 0x{raw[exc.start]:02x})") from None
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as exc:
            raise NotebookError(f"invalid notebook: not JSON ({exc})") from None
        if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
            if isinstance(data, dict) and "worksheets" in data:
                raise NotebookError("not analysed: an nbformat 3 notebook (convert it: jupyter nbconvert "
                                    "--to notebook --nbformat 4)")
            raise NotebookError("invalid notebook: no list of cells")
        if data.get("nbformat") != 4:
            raise NotebookError(f"not analysed: nbformat {data.get('nbformat')!r} (version 4 is read)")
        _validate(data)
        return cls(text, data, bom=raw.startswith(b"\xef\xbb\xbf"))

    @property
    def language(self) -> Optional[str]:
        meta = self.data.get("metadata") or {}
        info = meta.get("language_info") if isinstance(meta, dict) else None
        if isinstance(info, dict) and isinstance(info.get("name"), str):
            return info["name"].lower()
        spec = meta.get("kernelspec") if isinstance(meta, dict) else None
        if isinstance(spec, dict) and isinstance(spec.get("language"), str):
            return spec["language"].lower()
        return None

    @property
    def is_python(self) -> bool:
        return self.language in (None, "python", "python3", "ipython", "ipython3")

    def locate(self, line: int) -> Tuple[Optional[int], int]:
        """(cell, line in the cell) of a module line; (None, line) when it is in no cell."""
        for cell in self.cells:
            if cell.start <= line < cell.start + cell.lines:  # (an empty cell has no line)
                return cell.index, line - cell.start + 1
        if self.cells and line >= self.cells[-1].start:  # the end of the module
            last = self.cells[-1]
            return last.index, line - last.start + 1
        return None, line

    def cell_text(self, index: int) -> Optional[str]:
        """The source of code cell ``index`` (1-based, every cell counted), as written."""
        return next((cell.text for cell in self.cells if cell.index == index), None)

    # --- positions of findings -----------------------------------------------------------------
    def place(self, diagnostics: Sequence[Any]) -> None:
        """Turn module positions into cell positions: the finding, its evidence in this file and
        its fix edits."""
        for d in diagnostics:
            d.cell, d.line = self.locate(d.line)
            d.end_cell, d.end_line = self.locate(d.end_line)
            for step in d.evidence:
                if step.get("path") is None and step.get("line") is not None:
                    step["cell"], step["line"] = self.locate(step["line"])
            for edit in d.fix or ():
                edit["cell"], edit["line"] = self.locate(edit["line"])
                end_cell, edit["end_line"] = self.locate(edit["end_line"])
                if end_cell != edit["cell"]:
                    d.fix, d.fix_applicability, d.fix_title = None, None, None  # an edit across cells
                    break

    # --- writing ---------------------------------------------------------------------------
    def with_sources(self, sources: Dict[int, str]) -> bytes:
        """The notebook's bytes with the code cells ``sources`` (by cell index) replaced, in the
        file's own JSON layout.  Raises :class:`NotebookError` when that layout cannot be
        reproduced or the result is not a valid notebook."""
        dump = self._layout()
        data = json.loads(self.text)  # a fresh copy, in the file's key order
        for cell in self.cells:
            if cell.index in sources:
                raw = data["cells"][cell.position]["source"]
                new = sources[cell.index]
                data["cells"][cell.position]["source"] = new.splitlines(keepends=True) if isinstance(raw, list) else new
        _validate(data)
        return dump(data).encode("utf-8")

    def _layout(self):
        original = json.loads(self.text)
        crlf = "\r\n" in self.text  # (JSON strings hold no raw line breaks: only the layout has them)
        newline = ("\r\n" if crlf else "\n") if self.text.endswith("\n") else ""
        for indent in (1, 2, 4, 3, "\t", None):
            for ascii_only in (False, True):
                def dump(obj, indent=indent, ascii_only=ascii_only):
                    text = json.dumps(obj, indent=indent, ensure_ascii=ascii_only)
                    return (text.replace("\n", "\r\n") if crlf else text) + newline
                if dump(original) == self.text:
                    if self.bom:
                        return lambda obj: "\ufeff" + dump(obj)
                    return dump
        raise NotebookError("its JSON layout (separators, indentation or key spacing) is not one Python's json "
                            "module writes, so writing it back would reformat the whole file")
