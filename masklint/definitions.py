"""What an importer's result depends on in another module: the definitions it used, not the file.

A file's cached result records, for each project module its analysis looked a name up in, a key
of what that name gave it (``ModuleInfo.export_key``).  For a function or class the module
defines, the key is a digest of the text of that definition, of the module's other top-level
definitions its text names (what running it may call: ``helper()``, a base class, a constant
table), of every top-level statement that is not a definition (imports, assignments,
``if``/``try`` blocks: running any function reads the globals they compute) and of the
definitions those statements name (a dispatch table of functions, an alias), each with its
line numbers (findings carry evidence by line).  An edit to a function no importer uses, or a
new one, leaves its importers' results valid; an edit to what they run re-lints them.

The top-level statements come from CPython's tree, which every parse makes first
(``engine.parse_module``); names are found in the text (identifiers in strings and comments
count too: the closure can only be too large, never too small).
"""
from __future__ import annotations

import ast
import hashlib
import re
from typing import Dict, List, NamedTuple, Optional

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_DEFINITIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)


class TopLevel(NamedTuple):
    name: Optional[str]  # the name a def or class binds; None for any other statement
    start: int  # first line (its first decorator's), 1-based
    end: int  # last line


def outline(tree: ast.Module) -> List[TopLevel]:
    """The module's top-level statements, in order."""
    out = []
    for stmt in tree.body:
        start = stmt.lineno
        name = None
        if isinstance(stmt, _DEFINITIONS):
            name = stmt.name
            start = min([start] + [d.lineno for d in stmt.decorator_list])
        out.append(TopLevel(name, start, stmt.end_lineno or stmt.lineno))
    return out


class Definitions:
    """Digests of a module's top-level definitions with what they name (see the module doc)."""

    def __init__(self, source: str, top: List[TopLevel]):
        lines = source.splitlines(keepends=True)
        self._texts: Dict[str, List[str]] = {}
        self._rest: List[str] = []
        for t in top:
            text = f"{t.start}:{''.join(lines[t.start - 1:t.end])}"
            if t.name is None:
                self._rest.append(text)
            else:
                self._texts.setdefault(t.name, []).append(text)
        self._base = hashlib.sha256("\x00".join(self._rest).encode("utf-8", "surrogatepass")).hexdigest()
        self._memo: Dict[str, str] = {}

    def _names(self, name: str) -> List[str]:
        """``name``, the definitions the top-level code names (a dispatch table
        ``ATTENTION = {"eager": eager_attention}``, an alias ``attend = _impl``: running ``name``
        may reach them through a global), and the definitions any of these name, transitively,
        sorted."""
        todo = sorted({w for text in self._rest for w in _IDENTIFIER.findall(text) if w in self._texts})
        if name in self._texts:
            todo.append(name)
        seen = set(todo) | {name}
        while todo:
            for text in self._texts[todo.pop()]:
                for word in set(_IDENTIFIER.findall(text)):
                    if word in self._texts and word not in seen:
                        seen.add(word)
                        todo.append(word)
        return sorted(seen)

    def digest(self, name: str) -> str:
        """The digest of what running definition ``name`` reads of the module (a definition
        under ``if``/``try`` is part of the top-level code, which every digest has)."""
        if name not in self._memo:
            h = hashlib.sha256(self._base.encode())
            for n in self._names(name):
                h.update(b"\x01" + n.encode() + b"\x02")
                h.update("\x00".join(self._texts.get(n, ())).encode("utf-8", "surrogatepass"))
            self._memo[name] = h.hexdigest()[:32]
        return self._memo[name]


def of_source(source: str) -> Definitions:
    """The definitions of a module read from its text alone (a module parsed without an outline)."""
    return Definitions(source, outline(ast.parse(source)))
