"""Modules, their imports, functions and classes, and the project index used across modules.

Import resolution is our own and light (LibCST's ScopeProvider/QualifiedNameProvider cost
several times the parse): every ``import``/``from ... import`` anywhere in a module maps a
local name to a dotted qualified name, relative imports resolved against the module's package.
"""
from __future__ import annotations

import contextlib
import os
from collections import OrderedDict
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Sequence

from masklint._libcst import cst, nodes_of, walk

from masklint import definitions
from masklint.analysis import names, usage



def absolute_import(package: str, level: int, mod: str) -> str:
    """The module ``from <level dots><mod> import ...`` names, written in a module of ``package``."""
    if not level:
        return mod
    pkg = package.split(".") if package else []
    if level > 1:
        pkg = pkg[: len(pkg) - (level - 1)] if len(pkg) >= level - 1 else []
    return ".".join([p for p in pkg if p] + ([mod] if mod else []))


def dotted(node: cst.BaseExpression) -> Optional[str]:
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted(node.value)
        return f"{base}.{node.attr.value}" if base else None
    return None


class FunctionInfo:
    def __init__(self, node: cst.FunctionDef, module: "ModuleInfo", cls: "ClassInfo" = None, closure=None):
        self.node = node
        self.module = module
        self.cls = cls
        self.name = node.name.value
        self.closure = closure  # enclosing frame env for nested functions
        self.unread = None  # the names it owns and never reads (usage.unread)
        self.stores = frozenset()  # the names it assigns (usage.unread)
        self.prepared = frozenset()  # the names it rewrites from themselves (usage.unread)
        self.overwritten = None  # the parameters it assigns before any read (usage.overwritten)
        self.causal_only_with = False  # it builds its causal part only when a mask is given (branches)
        self.called = None  # the plain names it calls (usage.calls_name)
        self.documented = {}  # parameter name -> the mask its docstring describes, or None (sources)
        self.is_static = any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "staticmethod" for d in node.decorators
        )
        self.is_classmethod = any(
            isinstance(d.decorator, cst.Name) and d.decorator.value == "classmethod" for d in node.decorators
        )

    def params(self) -> List[cst.Param]:
        p = self.node.params
        return list(p.posonly_params) + list(p.params)

    def kwonly(self) -> List[cst.Param]:
        return list(self.node.params.kwonly_params)

    def call_params(self, bound: bool) -> List[cst.Param]:
        """The parameters a call's arguments fill: without ``self`` when the call is on an instance."""
        params = self.params()
        return params[1:] if bound and params and not self.is_static else params

    @property
    def qualname(self) -> str:
        return f"{self.cls.name}.{self.name}" if self.cls else self.name

    def __repr__(self):
        return f"<fn {self.module.display}:{self.qualname}>"


def decorator_name(expr) -> str:
    """``dataclass`` for ``@dataclass``, ``@dataclasses.dataclass`` and ``@dataclass(frozen=True)``."""
    if isinstance(expr, cst.Call):
        expr = expr.func
    if isinstance(expr, cst.Attribute):
        return expr.attr.value
    return expr.value if isinstance(expr, cst.Name) else ""


class ClassInfo:
    def __init__(self, node: cst.ClassDef, module: "ModuleInfo"):
        self.node = node
        self.module = module
        self.name = node.name.value
        self.methods: Dict[str, FunctionInfo] = {}
        self.class_attrs: Dict[str, cst.BaseExpression] = {}  # `causal = True` in the class body
        for stmt in node.body.body:
            if isinstance(stmt, cst.FunctionDef):
                self.methods[stmt.name.value] = FunctionInfo(stmt, module, self)
            elif isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, cst.Assign) and len(small.targets) == 1 and \
                            isinstance(small.targets[0].target, cst.Name):
                        self.class_attrs[small.targets[0].target.value] = small.value
                    elif isinstance(small, cst.AnnAssign) and small.value is not None and \
                            isinstance(small.target, cst.Name):
                        self.class_attrs[small.target.value] = small.value
        self.base_exprs = [a.value for a in node.bases]
        self.template = None  # ObjV built by running __init__
        self.template_uses = None  # the project modules building it used (ProjectIndex.recording)
        # a NamedTuple subclass builds like a dataclass: its annotated fields in order
        self.is_dataclass = any(decorator_name(d.decorator) == "dataclass" for d in node.decorators) or \
            self._derives("NamedTuple")
        # a TypedDict subclass builds a dict: `Batch(ids=ids, pad=pad)` is `{"ids": ids, "pad": pad}`
        self.is_typeddict = self._derives("TypedDict")

    def _derives(self, name: str) -> bool:
        """Is ``name`` (``NamedTuple``, ``typing.TypedDict``) among the class's written bases?"""
        return any((isinstance(b, cst.Name) and b.value == name) or
                   (isinstance(b, cst.Attribute) and b.attr.value == name) for b in self.base_exprs)

    def __repr__(self):
        return f"<class {self.module.display}:{self.name}>"


class ModuleInfo:
    def __init__(self, source: str, path: str, tree: cst.Module, modname: Optional[str], project: "ProjectIndex",
                 outline: Optional[List[definitions.TopLevel]] = None):
        self.source = source
        self._outline = outline  # its top-level statements (for export_key), read again when not given
        self._definitions: Optional[definitions.Definitions] = None
        self._keys: Dict[str, Optional[str]] = {}
        self.path = path
        self.display = path
        self.tree = tree
        self.modname = modname
        self.project = project
        self.imports: Dict[str, str] = {}
        self.star_imports: List[str] = []  # modules whose names `from m import *` brings in, in order
        self.functions: Dict[str, FunctionInfo] = {}
        self.classes: Dict[str, ClassInfo] = {}
        self.env = None  # module-level env after running the body
        self.env_uses = None  # the project modules running the body used (ProjectIndex.recording)
        self.running = False
        # decorations of its top-level definitions by a decorator it imports or a registry object's
        # method, not run yet (Interpreter.fill_tables): (decorator, what it decorates, name, frame)
        self.decorations: list = []
        self._half = None
        self._positions = None
        self._main = None  # main_model(), once computed (False: none)
        self._producers: Optional[Dict[str, List[FunctionInfo]]] = None  # dict_producers()
        self._hooked: Optional[frozenset] = None  # kwargs_hooked()
        self._texts: Dict[int, str] = {}  # text_of, by node id (the tree keeps its nodes alive)
        self._strings: Dict[int, object] = {}  # string_value, by node id
        self._collect(tree.body, top=True)

    def exports(self, attr: str) -> Optional[str]:
        """What the module gives another for the name ``attr``, read without running it:
        ``DEFINED`` when it defines a function or class of that name, the qualified name it
        imports under that name (a re-export), or None."""
        if attr in self.functions or attr in self.classes:
            return DEFINED
        return self.imports.get(attr)

    def export_key(self, attr: str) -> Optional[str]:
        """What an importer's result depends on when it looks ``attr`` up here: for a function
        or class this module defines, ``DEFINED`` and the digest of what running it reads of
        the module (``definitions``); else :meth:`exports` (a re-export, or None)."""
        key = self._keys.get(attr, ...)
        if key is ...:
            key = self.exports(attr)
            if key == DEFINED:
                if self._definitions is None:
                    self._definitions = definitions.Definitions(self.source, self._outline) \
                        if self._outline is not None else definitions.of_source(self.source)
                key = f"{DEFINED}:{self._definitions.digest(attr)}"
            self._keys[attr] = key
        return key

    def patched_method(self, cls_name: str, attr: str) -> Optional["FunctionInfo"]:
        """The function of this module that its code assigns over a method of one of its classes
        (``LlamaAttention.forward = fused_forward``, a monkey patch applied before training), or
        None.  Only a patch that surely runs when its place does: a statement of the module's
        top level, of a top-level function's body, or of the ``__main__`` block (not one under a
        condition or in a string)."""
        patches = self.__dict__.get("_patches")
        if patches is None:
            patches = {}
            if "." in self.source and self.functions and self.classes:
                for stmt in _unconditional_statements(self.tree.body):
                    for small in stmt.body:
                        if isinstance(small, cst.Assign) and len(small.targets) == 1 and \
                                isinstance(small.value, cst.Name) and small.value.value in self.functions:
                            t = small.targets[0].target
                            if isinstance(t, cst.Attribute) and isinstance(t.value, cst.Name) and \
                                    t.value.value in self.classes:
                                patches[(t.value.value, t.attr.value)] = self.functions[small.value.value]
            self._patches = patches
        return patches.get((cls_name, attr))

    def forget_runs(self) -> None:
        """Forget what running the module computed (its globals, the instances its classes
        build); what is read from the syntax alone stays."""
        self.env = None
        self.env_uses = None
        self.running = False
        self.decorations = []
        for cls in self.classes.values():
            cls.template = None
            cls.template_uses = None

    # --- structure -------------------------------------------------------------------
    def _collect(self, body: Sequence[cst.CSTNode], top: bool) -> None:
        for stmt in body:
            if isinstance(stmt, cst.SimpleStatementLine):
                for small in stmt.body:
                    if isinstance(small, (cst.Import, cst.ImportFrom)):
                        self.add_import(small, self.imports)
            elif isinstance(stmt, cst.FunctionDef):
                if top:
                    self.functions[stmt.name.value] = FunctionInfo(stmt, self)
            elif isinstance(stmt, cst.ClassDef):
                if top:
                    self.classes[stmt.name.value] = ClassInfo(stmt, self)
            elif isinstance(stmt, (cst.If, cst.Try, cst.With)):
                # imports guarded by try/except ImportError or if TYPE_CHECKING
                for block in _blocks(stmt):
                    self._collect(block, top)

    def kwargs_hooked(self) -> frozenset:
        """The attribute names whose modules get a forward pre-hook that may rewrite their keyword
        arguments (``self.attn.register_forward_pre_hook(add_mask, with_kwargs=True)``)."""
        if self._hooked is None:
            self._hooked = frozenset(names.KWARGS_HOOK.findall(self.source)) if "with_kwargs" in self.source \
                and names.KWARGS_MASK_WRITE.search(self.source) else frozenset()
        return self._hooked

    def dict_producers(self) -> Dict[str, List[FunctionInfo]]:
        """The functions of this module that return a dict literal with constant keys, by key: the
        collate functions and Dataset ``__getitem__`` methods whose batches a model reads as
        ``batch["key"]`` (for a Dataset, the DataLoader's default collate stacks the items)."""
        if self._producers is None:
            self._producers = {}
            fns = list(self.functions.values()) + [c.methods["__getitem__"] for c in self.classes.values()
                                                   if "__getitem__" in c.methods]
            for fn in fns:
                for ret in nodes_of(fn.node, cst.Return):
                    for key in self._dict_keys(ret.value):
                        entry = self._producers.setdefault(key, [])
                        if fn not in entry:
                            entry.append(fn)
        return self._producers

    def _dict_keys(self, node) -> List[str]:
        if isinstance(node, cst.Dict):
            return [k for k in (self.string_value(e.key) for e in node.elements
                                if isinstance(e, cst.DictElement) and isinstance(e.key, cst.SimpleString))
                    if isinstance(k, str)]
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "dict":
            return [a.keyword.value for a in node.args if a.keyword is not None]
        return []

    def main_model(self) -> Optional["ClassInfo"]:
        """The one model class of this file that no other class of it builds (the outermost
        ``nn.Module`` with a ``forward``), or None when there is not exactly one."""
        if self._main is None:
            models = [c for c in self.classes.values() if "forward" in c.methods]
            built = set().union(*(usage.called_names(c.node.body) for c in models))
            outer = [c for c in models if c.name not in built]
            self._main = outer[0] if len(outer) == 1 else False
        return self._main or None

    def package(self) -> str:
        if not self.modname:
            return ""
        if self.path.endswith("__init__.py"):
            return self.modname
        return self.modname.rpartition(".")[0]

    def add_import(self, node, table: Dict[str, str]) -> None:
        if isinstance(node, cst.Import):
            for alias in node.names:
                full = dotted(alias.name)
                if not full:
                    continue
                if alias.asname is not None:
                    table[alias.asname.name.value] = full
                else:
                    top = full.split(".")[0]
                    table[top] = top
        elif isinstance(node, cst.ImportFrom):
            mod = absolute_import(self.package(), len(node.relative),
                                  dotted(node.module) if node.module is not None else "")
            if isinstance(node.names, cst.ImportStar):
                if table is self.imports and mod:
                    self.star_imports.append(mod)
                return
            for alias in node.names:
                name = dotted(alias.name)
                if not name:
                    continue
                local = alias.asname.name.value if alias.asname is not None else name
                table[local] = f"{mod}.{name}" if mod else name

    def shown_from(self, other: "ModuleInfo") -> str:
        """This module's path as a reader of ``other`` (the file being reported) wants it."""
        try:
            return os.path.relpath(self.path, os.path.dirname(os.path.abspath(other.path)))
        except ValueError:  # another drive on Windows
            return self.display

    @property
    def half_precision(self) -> bool:
        """Does the code (not its comments or docstrings) run anything in float16?"""
        return self.half_site is not None

    @property
    def half_site(self):
        """The first node that runs something in float16 (``.half()``, ``autocast``...), or None."""
        if self._half is None:
            source = names.BF16_AUTOCAST.sub("", self.source)
            self._half = (bool(names.HALF_PRECISION.search(source)) and _first_half(self.tree)) or False
        return self._half or None

    # --- positions (computed only when a finding is reported) -------------------------
    def position(self, node):
        if self._positions is None:
            from libcst.metadata import MetadataWrapper, PositionProvider

            wrapper = MetadataWrapper(self.tree, unsafe_skip_copy=True)
            self._positions = wrapper.resolve(PositionProvider)
        return self._positions.get(node)

    def line_of(self, node) -> Optional[int]:
        pos = self.position(node)
        return pos.start.line if pos else None

    def string_value(self, node: cst.SimpleString):
        """The value of a string literal (None when it has none: odd literals); read once."""
        key = id(node)
        if key in self._strings:
            return self._strings[key]
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd literals stay unknown
            value = None
        self._strings[key] = value
        return value

    def code_of(self, node) -> str:
        """The code of ``node`` on one line, shortened to 60 characters (for messages)."""
        text = self.text_of(node)
        return text if len(text) <= 60 else text[:57] + "..."

    def text_of(self, node) -> str:
        """The whole code of ``node`` on one line (for tests of what it says)."""
        text = self._texts.get(id(node))
        if text is None:
            try:
                text = " ".join(self.tree.code_for_node(node).split())
            except Exception:  # pragma: no cover - defensive
                return "?"
            self._texts[id(node)] = text
        return text


_HALF_ATTRS = {"half", "float16", "autocast", "GradScaler"}


def _first_half(tree):
    class V(cst.CSTVisitor):
        found = None

        def visit_Attribute(self, node):
            if node.attr.value in _HALF_ATTRS and V.found is None:
                V.found = node

        def visit_Name(self, node):
            if node.value in ("autocast", "GradScaler") and V.found is None:
                V.found = node

        def visit_Call(self, node):
            # autocast(..., dtype=torch.bfloat16): float32's range, not half precision's; and
            # autocast(..., enabled=False) turns it off (a head kept in float32 on purpose)
            func = node.func.attr.value if isinstance(node.func, cst.Attribute) else getattr(node.func, "value", "")
            if func == "autocast" and any(
                    a.keyword is not None and (a.keyword.value == "dtype" and "bfloat16" in tree.code_for_node(a.value)
                                               or a.keyword.value == "enabled" and tree.code_for_node(a.value) == "False")
                    for a in node.args) or (node.args and node.args[0].keyword is None and
                                            tree.code_for_node(node.args[0].value) == "False"):
                # (`torch.cuda.amp.autocast(False)`: enabled is its first positional argument)
                return False
            return True

    v = V()
    walk(tree, v)
    return V.found


def _blocks(stmt) -> Iterable[Sequence[cst.CSTNode]]:
    if isinstance(stmt, cst.If):
        yield stmt.body.body
        if stmt.orelse is not None:
            if isinstance(stmt.orelse, cst.If):
                yield from _blocks(stmt.orelse)
            else:
                yield stmt.orelse.body.body
    elif isinstance(stmt, cst.Try):
        yield stmt.body.body
        for h in stmt.handlers:
            yield h.body.body
        if stmt.orelse is not None:
            yield stmt.orelse.body.body
        if stmt.finalbody is not None:
            yield stmt.finalbody.body.body
    elif isinstance(stmt, cst.With):
        yield stmt.body.body


def _unconditional_statements(body):
    """The simple statements that surely run when their place runs: the module's top level, its
    ``if __name__ == "__main__":`` block, and the bodies of its top-level functions that one of
    those, or another top-level function, calls as a statement of its own
    (``use_fused_kernels()`` in ``train()``; not one never called, nor one called under an ``if``)."""
    top, functions = [], {}
    for stmt in body:
        if isinstance(stmt, cst.SimpleStatementLine):
            top.append(stmt)
        elif isinstance(stmt, cst.FunctionDef) and isinstance(stmt.body, cst.IndentedBlock):
            functions[stmt.name.value] = [s for s in stmt.body.body if isinstance(s, cst.SimpleStatementLine)]
        elif isinstance(stmt, cst.If) and isinstance(stmt.test, cst.Comparison) and \
                isinstance(stmt.test.left, cst.Name) and stmt.test.left.value == "__name__":
            top.extend(s for s in stmt.body.body if isinstance(s, cst.SimpleStatementLine))
    called = {small.value.func.value
              for stmt in top + [s for lst in functions.values() for s in lst] for small in stmt.body
              if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)
              and isinstance(small.value.func, cst.Name)}
    yield from top
    for name, stmts in functions.items():
        if name in called:
            yield from stmts


def module_name_for(path: Path, roots: Sequence[Path]) -> Optional[str]:
    """Dotted module name: walk up while there is an ``__init__.py``; fall back to the path
    relative to the nearest root (covers namespace packages and flat script folders)."""
    try:
        path = path.resolve()
    except (OSError, RuntimeError):  # symlink loops, vanished paths
        return path.stem
    parts = [path.stem] if path.name != "__init__.py" else []
    d = path.parent
    while (d / "__init__.py").exists():
        parts.insert(0, d.name)
        d = d.parent
    if len(parts) > 1 or (path.name == "__init__.py" and parts):
        return ".".join(parts)
    for r in roots:
        try:
            rel = path.relative_to(r)
        except ValueError:
            continue
        segs = list(rel.with_suffix("").parts)
        if segs and segs[-1] == "__init__":
            segs = segs[:-1]
        if segs:
            return ".".join(segs)
    return path.stem


def load_module(path, modname: Optional[str], project: "ProjectIndex") -> Optional[ModuleInfo]:
    """A project module as the index reads it, or None: over 2 MB, binary, not UTF-8, or not
    parsed (the cache asks the same question of a dependency: ``cache.DependencyCheck``)."""
    try:
        raw = Path(path).read_bytes()
        if len(raw) > 2_000_000 or b"\0" in raw:
            return None
        source = raw.decode("utf-8")
        from masklint.engine import parse_with_outline  # CPython's check first: LibCST can crash

        tree, top = parse_with_outline(source)
        return ModuleInfo(source, str(path), tree, modname, project, top)
    except Exception:  # noqa: BLE001 - unreadable, undecodable, unparseable: not a module
        return None


# How much of the project the index keeps parsed (the rest is parsed again when needed)
KEEP_MODULES = 256
KEEP_SOURCE_BYTES = 4 * 2**20  # about 300 MB of LibCST trees, besides what one file uses

# ``ModuleInfo.exports`` of a name the module defines (its code is used, not only its names)
DEFINED = "<defined>"


class ProjectIndex:
    """Finds and parses the project's other modules on demand, for cross-module flow."""

    def __init__(self, roots: Sequence[Path] = (), settings=None):
        self.roots = [Path(r).resolve() for r in roots]
        self.settings = settings
        self._by_name: Dict[str, Optional[ModuleInfo]] = {}  # None: not a project module
        self._recent: "OrderedDict[str, None]" = OrderedDict()  # names of parsed modules, least recent first
        self._held = 0  # characters of source of the parsed modules held
        self._file_index: Optional[Dict[str, Path]] = None
        self._suffixes: Optional[Dict[str, Path]] = None  # dotted suffix of a module name -> its file
        self.mentions_attention: Dict[Path, bool] = {}  # a project file -> whether its code mentions attention (engine)
        self.texts: Dict[Path, str] = {}  # a project file -> its text, read without parsing (engine)
        self._half_users: Optional[Dict[str, List[str]]] = None  # a file -> the modules running float16 that import it
        self.loaded_paths: List[str] = []
        # what the analysis used of each project module since the last reset, by path:
        # {"module": its name, "names": {name: its export_key(name)}} for the names looked up in
        # it: the cache keys results on these (masklint.cache.DependencyCheck)
        self.uses: Dict[str, dict] = {}
        self.decorated: List[ModuleInfo] = []  # modules whose running left decorations to run
        # id of a decorator expression -> (the expression, kept alive; the module whose globals, or the
        # attributes of the object whose method, it writes its table into; None for a library's)
        self.decorator_owners: Dict[int, tuple] = {}

    def register(self, info: ModuleInfo) -> None:
        """Hold ``info`` under its module name (in place of what was held), as the most recently used."""
        if info.modname:
            held = self._by_name.get(info.modname)
            self._held += len(info.source) - (len(held.source) if held is not None else 0)
            self._by_name[info.modname] = info
            self._recent[info.modname] = None
            self._recent.move_to_end(info.modname)

    def reuse(self, modname: Optional[str], path: str, source: str) -> Optional[ModuleInfo]:
        """The module already parsed for ``path`` (as another file's dependency) when its source
        is ``source``, made ready to be analysed as the file being linted (what earlier runs
        computed on it is forgotten); None when there is none."""
        info = self._by_name.get(modname) if modname else None
        if info is None or info.source != source or os.path.abspath(info.path) != os.path.abspath(path):
            return None
        info.path = info.display = path
        info.forget_runs()
        return info

    def trim(self) -> None:
        """Bound memory between files: forget the parsed modules least recently used beyond
        ``KEEP_MODULES`` or ``KEEP_SOURCE_BYTES`` of their sources (a LibCST tree takes about 75
        times its source); the one used last always stays.  Called before each file, never
        during one: what a file's analysis uses stays parsed while it runs (evicting then parsed
        the same modules again and again).  Names that resolve to no project module are
        remembered: they cost no memory."""
        while len(self._recent) > 1 and (len(self._recent) > KEEP_MODULES or self._held > KEEP_SOURCE_BYTES):
            name, _ = self._recent.popitem(last=False)
            info = self._by_name.pop(name)
            self._held -= len(info.source) if info is not None else 0

    def _index(self) -> Dict[str, Path]:
        if self._file_index is None:
            idx: Dict[str, Path] = {}
            for root in self.roots:
                try:
                    base = root if root.is_dir() else root.parent
                    for p, name, rel in _walk_modules(base):
                        if name:
                            idx.setdefault(name, p)
                        idx.setdefault(rel, p)  # also reachable by its path relative to the root
                except (OSError, RuntimeError, ValueError):
                    continue  # an unreadable or looping tree: resolve what we can
            self._file_index = idx
        return self._file_index

    @contextlib.contextmanager
    def recording(self):
        """Within the block, the uses recorded go to a dict of their own (yielded), merged into
        the file's afterwards: a module's globals or a class's instance, computed once and read
        by later files, keeps what it used and gives it to each of them (:meth:`replay`)."""
        outer, self.uses = self.uses, {}
        try:
            yield self.uses
        finally:
            inner, self.uses = self.uses, outer
            self.replay(inner)

    def replay(self, uses: Optional[dict]) -> None:
        for path, used in (uses or {}).items():
            mine = self.uses.setdefault(path, {"module": used["module"], "names": {}})
            mine["names"].update(used["names"])

    def _use(self, info: ModuleInfo, attr: str) -> None:
        used = self.uses.setdefault(info.path, {"module": info.modname, "names": {}})
        if attr not in used["names"]:
            used["names"][attr] = info.export_key(attr)

    def module(self, modname: str) -> Optional[ModuleInfo]:
        if modname in self._by_name:
            info = self._by_name[modname]
            if info is not None:
                self._recent.move_to_end(modname)
            return info
        self._by_name[modname] = None
        path = self.path_of(modname)
        if path is None:
            return None
        info = load_module(path, modname, self)
        if info is None:
            return None
        info.display = _short(path, self.roots)
        self.register(info)
        self.loaded_paths.append(str(path))
        return info

    def path_of(self, modname: str) -> Optional[Path]:
        """The file of a project module, without parsing it; None when it is not one.  A suffix
        match handles projects linted from above their package root (one table of suffixes,
        built once: a lookup per import, not a scan of the project)."""
        path = self._index().get(modname)
        if path is None:
            if self._suffixes is None:
                self._suffixes = {}
                for name, p in self._index().items():
                    parts = name.split(".")
                    for i in range(1, len(parts)):
                        self._suffixes.setdefault(".".join(parts[i:]), p)
            path = self._suffixes.get(modname)
        return path

    def half_user_of(self, path) -> Optional["ModuleInfo"]:
        """A project module that runs in float16 (``model.half()``, autocast) and imports a class
        of the module at ``path``, directly or through one module between (``inference.py`` imports
        the model, which imports its attention layers): the code of ``path`` runs in half precision
        there even when no call of it can be followed.  A module importing constants or helpers of
        it (a feature script saving ``np.float16``) does not count, nor does a script, which is
        analysed and reports where it calls in, nor a module defining models of its own.  Found from
        the files' text, once per run."""
        if self._half_users is None:
            from masklint.engine import _MODULE_CLASS, imported_definers

            by_path = {os.path.abspath(p): name for name, p in self._index().items() if "/" not in name}
            users: Dict[str, List[str]] = {}
            for p, name in by_path.items():
                text = self.file_text(p)
                if not names.HALF_PRECISION.search(names.BF16_AUTOCAST.sub("", text)) or "bfloat16" in text:
                    continue
                if "__main__" in text or p.endswith("__main__.py"):
                    continue  # a script: analysed itself, it reports the fill where it calls in
                if _MODULE_CLASS.search(text):
                    continue  # a module of models (a modeling file testing `dtype == torch.float16`): not a user
                frontier, seen = [(p, name, text)], {p}
                for _ in range(2):  # its imports, and theirs
                    nxt = []
                    for fp, fname, ftext in frontier:
                        for attr, target in imported_definers(self, ftext, fname, fp.endswith("__init__.py")):
                            tp = os.path.abspath(target)
                            if tp in seen or tp not in by_path or attr is not None and \
                                    not names.defines_class(self.file_text(tp), attr):
                                continue  # (what runs in float16 is a model: a class, not constants or helpers)
                            seen.add(tp)
                            users.setdefault(tp, []).append(name)
                            nxt.append((tp, by_path[tp], self.file_text(tp)))
                    frontier = nxt
            self._half_users = users
        for user in self._half_users.get(os.path.abspath(str(path)), ()):
            info = self.module(user)
            if info is not None and info.half_precision and "bfloat16" not in info.source:
                return info
        return None

    def file_text(self, path) -> str:
        """A project file's text, read once per run and not parsed ("" when it cannot be read)."""
        if path not in self.texts:
            try:
                with open(path, encoding="utf-8", errors="replace") as fh:
                    self.texts[path] = fh.read()
            except OSError:
                self.texts[path] = ""
        return self.texts[path]

    def _names_in_text(self, modname: str, attr: str) -> bool:
        """Does the text of project module ``modname`` mention ``attr`` at all?"""
        path = self.path_of(modname)
        if path is None:
            return False
        text = self.file_text(path)
        return names.mentions_word(attr, text) or "import *" in text  # (a star of a star: followed on)

    def resolve(self, qualname: str, _depth: int = 0):
        """A project-defined function or class for a dotted name, or None."""
        mod, _, attr = qualname.rpartition(".")
        while mod:
            info = self.module(mod)
            if info is not None:
                answer = info.exports(attr)
                self._use(info, attr)
                if answer == DEFINED:
                    return info.functions[attr] if attr in info.functions else info.classes[attr]
                # re-exported name: follow the module's own import of it
                if answer and answer != qualname:
                    return self.resolve(answer)
                if answer is None and "." not in attr and _depth < 4:  # `from .layers import *`
                    for star in info.star_imports:
                        if not self._names_in_text(star, attr):
                            continue  # read (not parsed) first: a package of 100 model files stars them all
                        found = self.resolve(f"{star}.{attr}", _depth + 1)
                        if found is not None:
                            return found
                return None
            mod, _, head = mod.rpartition(".")
            attr = f"{head}.{attr}"
        return None


_SKIP_DIRS = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", "build", "dist", ".tox", ".eggs"}


def _walk_modules(base: Path):
    """``(path, module name, name relative to base)`` for every ``.py`` file under ``base``: the
    names :func:`module_name_for` gives, from one directory listing each (a package is a folder
    whose listing has ``__init__.py``) instead of a walk up and a ``resolve`` per file, which made
    indexing a 3,000-file project a quarter of a one-file run.  A file that is a link is named
    from where it points, as :func:`module_name_for` does."""
    above: List[str] = []
    d = base.parent
    while (d / "__init__.py").exists():  # the packages base itself sits in
        above.insert(0, d.name)
        d = d.parent
    todo: list = [(str(base), above, (), base.name)]
    while todo:
        dirpath, outer, rel, dirname = todo.pop()
        try:
            with os.scandir(dirpath) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        package = outer + [dirname] if any(e.name == "__init__.py" for e in entries) else []
        subdirs = []
        for e in entries:
            try:
                if e.is_dir(follow_symlinks=False):
                    if e.name not in _SKIP_DIRS and not e.name.startswith("."):
                        subdirs.append((e.path, package, rel + (e.name,), e.name))
                    continue
                if not e.name.endswith(".py"):
                    continue
                path, stem = Path(e.path), e.name[:-3]
                relname = ".".join(rel + (stem,)).removesuffix(".__init__")
                if e.is_symlink():
                    yield path, module_name_for(path, [base]), relname
                    continue
                parts = package + [stem] if stem != "__init__" else package
                in_package = len(parts) > 1 or (stem == "__init__" and parts)
                yield path, ".".join(parts) if in_package else relname, relname
            except OSError:
                continue
        todo.extend(reversed(subdirs))


def _short(path: Path, roots: Sequence[Path]) -> str:
    for r in roots:
        base = r if r.is_dir() else r.parent
        try:
            return str(path.relative_to(base))
        except ValueError:
            continue
    return path.name
