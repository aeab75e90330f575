"""Entry point of the static analysis: source text in, diagnostics out.

The CLI, the flake8 plugin and the runtime hook all call :func:`check_source`.  It reports
every static rule (default and opt-in); selection, suppression comments and output formats
are the caller's business (``masklint.runner``).  Every LibCST parse goes through
:func:`parse_module`, which lets CPython's parser see the source first (docs/robustness.md).
"""
from __future__ import annotations

import ast
import os
import contextlib
import contextvars
import re
import threading
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Collection, Dict, List, Optional, Sequence, Tuple

from masklint._libcst import cst
from masklint.diagnostics import Diagnostic

# A module that mentions none of these can neither build nor consume an attention mask, unless it
# writes attention by hand without naming it: a softmax beside a large negative (a bias of finfo.min)
_INTERESTING = re.compile(r"mask|attn|ttention|causal|Transformer|tril|triu|band_part|scaled_dot_product")
_SOFTMAX = re.compile(r"softmax")
_LARGE_NEGATIVE = re.compile(r"finfo|-\s*1e\d|\binf\b")
#: what an imported module must mention for an entry script importing it to be analysed
_ATTENTION_CODE = re.compile(r"attn|ttention|causal|Transformer|scaled_dot_product|softmax|masked_fill|"
                             r"key_padding_mask|attention_mask")


#: what an imported layer's own definition must mention for a model class composing it to be analysed
#: (a loss's ``log_softmax`` is not attention)
_ATTENTION_LAYER = re.compile(r"attn|ttention|causal|Transformer|scaled_dot_product|masked_fill|key_padding_mask")

#: a library module that trains a model on next-token targets (`x[:, :-1]` against `x[:, 1:]`, both
#: written): analysed like an entry script when it imports attention code
_SHIFTED_TARGETS = re.compile(r"\[\s*:\s*,\s*:\s*-1\s*\][\s\S]*\[\s*:\s*,\s*1\s*:\s*\]|"
                              r"\[\s*:\s*,\s*1\s*:\s*\][\s\S]*\[\s*:\s*,\s*:\s*-1\s*\]")
#: a model class (``class Captioner(nn.Module):``): one that composes attention layers imported from
#: other modules is analysed like an entry script that imports them
_MODULE_CLASS = re.compile(r"^[ \t]*class[ \t]+\w+[ \t]*\([^)]*\bModule\b", re.M)


class ParseFailure(Exception):
    """The source could not be parsed; ``line``/``column`` locate it when known."""

    def __init__(self, message: str, line: int = 1, column: int = 1):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# --------------------------------------------------------------------------- the time budget
class OutOfTime(BaseException):
    """The file's time budget ran out.  A BaseException, like asyncio.CancelledError, so that
    no ``except Exception`` in the analysis swallows it; ``masklint.runner`` reports it."""

    def __init__(self, seconds: float):
        super().__init__(f"took longer than {seconds:g} s")
        self.seconds = seconds


_DEADLINE: contextvars.ContextVar = contextvars.ContextVar("masklint_deadline", default=None)


@contextlib.contextmanager
def time_budget(seconds: Optional[float]):
    """Within the block, :func:`check_deadline` raises :class:`OutOfTime` once ``seconds`` have
    passed (``None`` or 0: no budget).  Cooperative: the analysis checks at every statement it
    runs and between phases; a single call into LibCST's native parser is not interrupted
    (``MAX_NESTING`` and the 5 MB file limit bound it)."""
    token = _DEADLINE.set((time.monotonic() + seconds, seconds) if seconds else None)
    try:
        yield
    finally:
        _DEADLINE.reset(token)


def check_deadline() -> None:
    deadline = _DEADLINE.get()
    if deadline is not None and time.monotonic() > deadline[0]:
        raise OutOfTime(deadline[1])


# --------------------------------------------------------------------------- guarded parsing
# LibCST's native parser recurses on the thread's stack and takes the process down (SIGSEGV) on
# input nested deeper than it has stack for; it also takes time quadratic in the nesting depth
# and holds the GIL meanwhile.  So every source goes through CPython's own parser first (what
# CPython rejects, LibCST never sees), then a nesting check on CPython's tree, then LibCST: on
# the calling thread when that is the main thread and the file is shallow (the usual case), else
# on a thread of its own with a large stack (a non-main thread may have only 512 KB).
MAX_NESTING = 1000  # levels; CPython 3.11 compiles about 3000, the analysis gives up before 1000
PARSER_STACK_SIZE = 256 * 2**20  # virtual; LibCST needs about 5 MB at MAX_NESTING
# Measured LibCST 1.x stack use: about 26 KB per nested statement (if/for/def/...), 1.3-2.2 KB per
# nested expression; counted here in 2.5 KB units.
_STMT_UNITS, _STACK_UNIT, _STACK_BASE = 12, 2560, 64 * 1024
_stack_lock = threading.Lock()


def python_syntax_check(source: str) -> ast.Module:
    """CPython's tree of ``source``; :class:`ParseFailure` with CPython's message if CPython
    rejects it (a syntax error, too many nested parentheses, nesting deeper than its parser
    or compiler takes)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escape sequences etc. are not ours to report
            return ast.parse(source)
    except SyntaxError as e:
        raise ParseFailure(f"SyntaxError: {e.msg}", e.lineno or 1, (e.offset or 0) or 1) from None
    except RecursionError as e:
        raise ParseFailure(f"cannot parse: nested too deeply for Python ({e})") from None
    except MemoryError:
        raise ParseFailure("cannot parse: too deeply nested or too large for Python's parser (MemoryError)") from None
    except (ValueError, OverflowError, SystemError) as e:
        raise ParseFailure(f"cannot parse: {e}") from None


def nesting(tree: ast.AST) -> Tuple[int, int, int]:
    """(depth, line, stack) for ``tree`` as LibCST will build it: the deepest nesting in levels,
    its line, and an estimate of the bytes of stack LibCST's parser needs.  ``a and b and c`` is
    one node for CPython and a chain for LibCST; so are ``import a.b.c`` and the ``for`` clauses
    of a comprehension: they count a level each.  Iterative: no recursion limit applies."""
    best = best_units = 0
    best_line = 1
    stack: List[Tuple[ast.AST, int, int, int]] = [(tree, 0, 0, 1)]
    pop, push = stack.pop, stack.append
    AST, stmt = ast.AST, ast.stmt
    while stack:
        node, depth, units, line = pop()
        t = type(node)
        extra = 0
        if t is ast.BoolOp:
            extra = len(node.values) - 1  # type: ignore[attr-defined]
        elif t is ast.ListComp or t is ast.SetComp or t is ast.DictComp or t is ast.GeneratorExp:
            extra = len(node.generators) - 1  # type: ignore[attr-defined]
        elif t is ast.alias:
            extra = node.name.count(".")  # type: ignore[attr-defined]
        elif t is ast.ImportFrom:
            extra = (node.module or "").count(".")  # type: ignore[attr-defined]
        if isinstance(node, stmt):
            line = node.lineno
            units += _STMT_UNITS + extra
        else:
            units += 1 + extra
        depth += 1 + extra
        if depth > best:
            best, best_line = depth, getattr(node, "lineno", line)
        if units > best_units:
            best_units = units
        for name in node._fields:
            child = getattr(node, name, None)
            if isinstance(child, list):
                for c in child:
                    if isinstance(c, AST):
                        push((c, depth, units, line))
            elif isinstance(child, AST):
                push((child, depth, units, line))
        if t is ast.If and len(node.orelse) == 1 and type(node.orelse[0]) is ast.If \
                and node.orelse[0].col_offset == node.col_offset:  # type: ignore[attr-defined]
            stack[-1] = (node.orelse[0], depth, units + 1 - _STMT_UNITS, line)  # elif: cheap for LibCST
    return best, best_line, _STACK_BASE + best_units * _STACK_UNIT


def parse_module(source: str) -> cst.Module:
    """LibCST's tree of ``source``, never a crash: :class:`ParseFailure` for what CPython rejects,
    for nesting deeper than ``MAX_NESTING``, and for what LibCST itself cannot parse.  Every
    LibCST parse in masklint (linted files and the project modules they import) goes here."""
    return parse_with_outline(source)[0]


def parse_with_outline(source: str):
    """:func:`parse_module`, and the module's top-level statements from CPython's tree
    (``definitions.outline``: what the cache keys an importer's result on)."""
    from masklint.definitions import outline

    check_deadline()
    checked = python_syntax_check(source)
    depth, line, stack = nesting(checked)
    if depth > MAX_NESTING:
        raise ParseFailure(f"not analysed: nested {depth} levels deep (masklint's parser takes up to {MAX_NESTING})",
                           line)
    check_deadline()
    try:
        if stack <= _stack_here():
            tree = _parse_unvalidated(source)
        else:
            tree = _on_big_stack(_parse_unvalidated, source)
    except cst.ParserSyntaxError as e:
        raise ParseFailure(f"not analysed: masklint's parser (LibCST) cannot parse this valid code: {e.message}",
                           e.raw_line, e.raw_column + 1) from None
    except (RecursionError, MemoryError) as e:
        raise ParseFailure(f"not analysed: masklint's parser (LibCST) failed: {type(e).__name__}") from None
    check_deadline()
    return tree, outline(checked)


def _no_validation(node) -> None:
    pass


def _parse_unvalidated(source: str) -> cst.Module:
    """``cst.parse_module`` without LibCST's check of every node it builds (``__post_init__``
    calls ``_validate``: whitespace patterns, identifiers, parentheses), a seventh of a parse:
    what its own parser builds from source CPython accepted is valid by construction.  Nodes
    built elsewhere meanwhile (another thread) go unchecked too, which changes nothing they do.
    Where a LibCST release checks nodes another way, it parses as it always does."""
    base = cst.CSTNode
    with _validation_lock:  # one parse at a time switches validation off, and puts back what it found
        validate = base.__dict__.get("__post_init__")
        if validate is None or validate is _no_validation or \
                any(c.__post_init__ is not validate for c in (cst.Name, cst.Call, cst.SimpleWhitespace)):
            return cst.parse_module(source)
        base.__post_init__ = _no_validation
        try:
            return cst.parse_module(source)
        finally:
            base.__post_init__ = validate


_validation_lock = threading.RLock()


def _main_stack_allowance() -> int:
    """Bytes of the main thread's stack that LibCST may use there: a quarter of the stack limit
    (POSIX ``ulimit -s``; unlimited counts as 8 MB), 256 KB where it cannot be read."""
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_STACK)[0]
    except (ImportError, OSError, ValueError, AttributeError):  # Windows: python.exe has 2 MB or more
        return 256 * 1024
    if soft == resource.RLIM_INFINITY or soft <= 0:
        soft = 8 * 2**20
    return min(soft, 8 * 2**20) // 4


_MAIN_STACK_ALLOWANCE = _main_stack_allowance()


def _stack_here() -> int:
    """Bytes of stack LibCST may use on the calling thread (0 off the main thread: unknown)."""
    return _MAIN_STACK_ALLOWANCE if threading.current_thread() is threading.main_thread() else 0


def _on_big_stack(fn, *args):
    """``fn(*args)`` on a fresh thread with a ``PARSER_STACK_SIZE`` stack (in this thread when no
    such thread can be started).  The caller waits: the point is the stack, not concurrency."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = fn(*args)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the caller's thread
            box["error"] = exc

    thread = None
    with _stack_lock:  # threading.stack_size is process-wide: set it only around our start()
        try:
            old = threading.stack_size(PARSER_STACK_SIZE)
        except (ValueError, RuntimeError):  # a platform that cannot set it
            old = None
        try:
            if old is not None:
                thread = threading.Thread(target=run, name="masklint-parse", daemon=True)
                thread.start()
        except RuntimeError:  # "can't start new thread": no memory for the stack, thread limits
            thread = None
        finally:
            if old is not None:
                threading.stack_size(old)
    if thread is None:
        return fn(*args)
    thread.join()
    if "error" in box:
        raise box["error"]
    return box["value"]


@dataclass
class CheckResult:
    diagnostics: List[Diagnostic]
    # the other project files the result depends on: what each gives for the names looked up
    # in it (ProjectIndex.uses)
    deps: Dict[str, dict] = field(default_factory=dict)


class Project:
    """The set of files being linted, for cross-module resolution (imports of helpers)."""

    def __init__(self, roots: Sequence[Path] = (), settings=None):
        self.roots = [Path(r).resolve() for r in roots]
        self.settings = settings
        self._index = None

    def index(self):
        from masklint.analysis.modules import ProjectIndex

        if self._index is None:
            self._index = ProjectIndex(self.roots, self.settings)
        return self._index


_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+(?:\(([^)]*)\)|([\w., \t]+))"
                     r"|import[ \t]+([\w., \t]+))", re.M)


_ALIASES = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t(]+(?:[^)\n]*?[,(\s])?(\w+)"
                      r"[ \t]+as[ \t]+(\w+)", re.M)
_STAR = re.compile(r"^[ \t]*from[ \t]+(\.*)([\w.]*)[ \t]+import[ \t]+\*", re.M)


def _imports(text: str):
    """``(dots, module, names)`` per ``from`` import (``names`` as written, parenthesised lists
    included), ``("", module, None)`` per module of a plain ``import``."""
    for dots, name, listed, flat, plain in _IMPORT.findall(text):
        if plain:
            for m in plain.split(","):
                if m.strip():
                    yield "", m.strip().split()[0], None
        else:
            listed = re.sub(r"#[^\n]*", "", listed or flat).replace("\\", " ")
            yield dots, name, [n.strip().split()[0] for n in listed.split(",") if n.strip()]


def _is_script(tree: ast.Module, path: str) -> bool:
    """Code meant to be run: ``__main__.py``, or a file with an ``if __name__ == "__main__":`` block
    (not a library module, nor a test module, whose imports of model code are only definitions)."""
    if Path(path).name == "__main__.py":
        return True
    return any(isinstance(stmt, ast.If) and "__main__" in ast.dump(stmt.test) for stmt in tree.body)


def _imports_attention_code(source: str, path: str, project: "Project", layers: bool = False) -> bool:
    """Does a module that mentions no mask import attention code from the project (an entry script,
    ``__main__.py``, that builds the batch and calls the model defined elsewhere)?  An imported
    name counts where it is defined, through the package ``__init__`` files that re-export it: a
    training script importing ``create_model`` from a package whose ``__init__`` also re-exports
    its attention layers imports no attention code.  With ``layers`` (a model class composing
    imported layers) a name counts only where its own definition mentions attention: a CNN
    importing ``checkpoint_seq`` from a helpers module that also has an attention pooling does
    not.  Only the files' text is read, not parsed."""
    from masklint.analysis.modules import module_name_for

    index = project.index()
    here = module_name_for(Path(path), index.roots) or ""
    for attr, target in imported_definers(index, source, here, Path(path).name == "__init__.py"):
        if os.path.abspath(target) == os.path.abspath(path):
            continue
        if _mentions_attention(index, target):
            if not (layers and attr is not None and _defined_without_attention(index.file_text(target), attr)):
                return True
        elif not layers and attr is not None and _model_class(index.file_text(target), attr) and \
                _imports_attention_code(index.file_text(target), str(target), project, layers=True):
            return True  # a model class (`GPT`) composing attention layers of a third module
    return False


def imported_definers(index, text: str, here: str, is_package: bool):
    """``(name, file)`` for each name that module ``text`` (module ``here``) imports from the
    project, with the file that defines it (``name`` None for a module imported whole)."""
    for dots, name, imported in _imports(text):
        base = _absolute(here, is_package, dots, name)
        for modname, attr in ([(base, n) for n in imported] if imported is not None else [(base, None)]):
            target = _definer(index, modname, attr, 4)
            if target is not None:
                yield attr, target


def _model_class(text: str, attr: str) -> bool:
    """Is ``attr`` an ``nn.Module`` subclass defined in module ``text``?"""
    return bool(re.search(rf"^class[ \t]+{re.escape(attr)}[ \t]*\([^)]*\bModule\b", text, re.M))


def _defined_without_attention(text: str, attr: str, depth: int = 2) -> bool:
    """Is ``attr`` a def, class or assignment in module ``text`` whose own lines (to the next
    top-level statement) mention no attention code, nor a class of the same module that does (a
    base, ``Block(AttnBlock)``, or a part, ``self.mix = TokenMixer(d, h)``)?"""
    m = re.search(rf"^(?:(?:async[ \t]+def|def|class)[ \t]+{re.escape(attr)}\b|{re.escape(attr)}[ \t]*[:=])"
                  rf".*?(?=^[^\s#)\]}}]|\Z)", text, re.M | re.S)
    if m is None or _ATTENTION_LAYER.search(m.group(0)):
        return False
    if depth:
        from masklint.analysis import names

        for used in set(re.findall(r"\b([A-Z]\w*)\b", m.group(0))) - {attr}:
            if names.defines_class(text, used) and not _defined_without_attention(text, used, depth - 1):
                return False
    return True


def _absolute(here: str, is_package: bool, dots: str, name: str) -> str:
    """The module ``from <dots><name> import ...`` names, written in module ``here``."""
    from masklint.analysis.modules import absolute_import

    return absolute_import(here if is_package else here.rpartition(".")[0], len(dots), name)


def _definer(index, modname: str, attr: Optional[str], depth: int) -> Optional[Path]:
    """The project file that defines ``modname.attr`` (``attr`` None: the module itself), following
    ``from .x import attr`` re-exports; where that cannot be told (a star import), the module."""
    if attr is not None and modname:
        sub = index.path_of(f"{modname}.{attr}")
        if sub is not None:
            return sub  # `from pkg import submodule`
    target = index.path_of(modname) if modname else None
    if target is None or attr is None or depth == 0:
        return target
    text = index.file_text(target)
    if _defines(text, attr):
        return target
    is_package = target.name == "__init__.py"
    for dots, name, imported in _imports(text):
        if imported and attr in imported:
            return _definer(index, _absolute(modname, is_package, dots, name), attr, depth - 1)
    for m in _ALIASES.finditer(text):  # `from .model import Net as Classifier`
        if m.group(4) == attr:
            return _definer(index, _absolute(modname, is_package, m.group(1), m.group(2)), m.group(3), depth - 1)
    for dots, name in _STAR.findall(text):  # `from .layers import *`: the first that defines it
        found = _definer(index, _absolute(modname, is_package, dots, name), attr, depth - 1)
        if found is not None and _defines(index.file_text(found), attr):
            return found
    return target


def _defines(text: str, attr: str) -> bool:
    """Does module text define ``attr`` at its top level (a def, a class, an assignment)?"""
    return bool(re.search(rf"^(?:async[ \t]+def|def|class)[ \t]+{re.escape(attr)}\b|^{re.escape(attr)}[ \t]*[:=]",
                          text, re.M))


#: import statements (a package ``__init__`` re-exporting its attention layers mentions them only there)
_IMPORT_STMT = re.compile(r"^[ \t]*(?:from[ \t]+[\w.]+[ \t]+import[ \t]+(?:\([^)]*\)|[^\n]*)|import[ \t][^\n]*)", re.M)


def _mentions_attention(index, path) -> bool:
    """Does the project file at ``path`` mention attention in its own code (not only in the names it
    imports: a package ``__init__`` re-exporting its layers)?  A module that mentions masks alone
    (an optimizer's update mask) is not attention code.  Read once per run."""
    seen = index.mentions_attention
    if path not in seen:
        text = index.file_text(path)
        if Path(path).name == "__init__.py":
            text = _IMPORT_STMT.sub("", text)  # a package re-exporting its layers: only its own code counts
        seen[path] = bool(_ATTENTION_CODE.search(text))
    return seen[path]


def check_source(source: str, path: str, project: Optional[Project] = None,
                 codes: Optional[Collection[str]] = None) -> CheckResult:
    """Analyse one module with the static rules in ``codes`` (default: every static rule, the
    opt-in ones included).  Raises :class:`ParseFailure` for code that does not parse (or is not
    analysed: nested too deeply), :class:`OutOfTime` when a :func:`time_budget` runs out."""
    from masklint.analysis.modules import module_name_for

    if project is None:
        project = Project([Path(path).resolve().parent])
    if not _INTERESTING.search(source) and not (_SOFTMAX.search(source) and _LARGE_NEGATIVE.search(source)):
        tree = python_syntax_check(source)  # a syntax error is reported even where there is nothing to analyse
        if not ((_is_script(tree, path) or _SHIFTED_TARGETS.search(source))
                and _imports_attention_code(source, path, project)
                or _MODULE_CLASS.search(source) and _imports_attention_code(source, path, project, layers=True)):
            return CheckResult([])
    from masklint.analysis.interp import MAX_STMTS, Interpreter, _Abort
    from masklint.analysis.modules import ModuleInfo
    from masklint.rules.base import all_rules

    index = project.index()
    modname = module_name_for(Path(path), index.roots)
    # a module an earlier file imported is parsed already: the same source is not parsed twice
    info = index.reuse(modname, path, source)
    if info is None:
        tree, top = parse_with_outline(source)
    try:
        if info is None:
            info = ModuleInfo(source, path, tree, modname, index, top)
        index.register(info)
        index.trim()
        index.uses = {}
        rules = [cls() for cls in all_rules() if not cls.runtime_only and cls.analysis
                 and (codes is None or cls.code in codes)]
        interp = Interpreter(rules, index)
        findings = interp.run_module(info)
        check_deadline()
        return _report(info, index, findings, path)
    except RecursionError:
        project._index = None  # modules imported meanwhile may hold a half-run state
        raise ParseFailure("not analysed: expressions nested too deeply") from None
    except _Abort:  # the interpreter's statement cap, hit by the module's own top-level code
        project._index = None
        raise ParseFailure(f"not analysed: more than {MAX_STMTS:,} statements to run") from None
    except BaseException:
        project._index = None  # out of time (or worse) halfway: start the next file afresh
        raise


def _report(info, index, findings, path: str) -> CheckResult:
    from masklint.rules.base import all_rules

    diags: List[Diagnostic] = []
    seen = set()
    registry = {cls.code: cls for cls in all_rules()}
    # one bug, one finding: an attention call that another context shows dropping a mask its
    # caller holds (ML504) is not also reported for attending over the padding (ML505)
    dropped = {_sink(f) for f in findings if f.code == "ML504"}
    # a missing mask is reported at its attention call when this file has it, else at the first
    # call that reaches it: the calls carrying it here are the same bug
    at_sink = {(f.code, _sink(f)) for f in findings if f.code in _MISSING and not f.via and f.module is info}
    for f in findings:
        if f.via and f.code in _MISSING and (f.code, _sink(f)) in at_sink:
            continue
        if f.module is not info or f.code == "ML505" and _sink(f) in dropped:
            continue
        # a bad constant, or an attention call missing a mask, reached through several calls in this
        # file is one bug: reported at the first (a bad mask passed in is a bug of each call passing it)
        key = (f.code, _sink(f)) if f.written or f.code in _MISSING else (f.code, id(f.node))
        if key in seen:
            continue
        seen.add(key)
        pos = info.position(f.node)
        if pos is None:
            continue
        at = (f.code, pos.start.line, pos.start.column)
        if at in seen:
            continue  # two routes to one finding at one place (a model's facts and the call itself)
        seen.add(at)
        rule = registry[f.code]
        edits = _edits(info, f.fix) if f.fix is not None else None
        diags.append(
            Diagnostic(
                code=f.code,
                name=rule.name,
                message=f.message,
                path=path,
                line=pos.start.line,
                column=pos.start.column + 1,
                end_line=pos.end.line,
                end_column=pos.end.column + 1,
                severity=rule.severity,
                fix=edits,
                fix_applicability="unsafe" if edits else None,
                fix_title=f.fix[0] if edits else None,
                evidence=_evidence(info, f),
                help=f.help or None,
                note=f.note or None,
                picture=f.picture or None,
            )
        )
    diags.sort(key=Diagnostic.sort_key)
    deps = {p: used for p, used in sorted(index.uses.items()) if p != info.path}
    return CheckResult(diags, deps)


#: findings about what an attention call lacks (the memory's padding mask): the bug is the call's,
#: whichever caller reaches it (not a mask a caller holds and drops: ML504; ML401 is reported at the
#: model's call of its decoder too, where the model shows it is autoregressive)
_MISSING = frozenset({"ML502"})


def _sink(f) -> int:
    """The attention call a finding is about: where it was first reported, before being carried
    to the callers that pass its mask in."""
    return id(f.via[-1][1] if f.via else f.node)


MAX_EVIDENCE = 12  # steps shown; a longer chain keeps its first and last steps


def _evidence(info, f) -> List[dict]:
    """The finding's evidence as steps ``{"path", "line", "text"}``: ``path`` is None for the
    file being reported, else the other module's absolute path (``Diagnostic.localize`` makes
    it a display path; absolute paths keep the cache independent of the working directory)."""
    steps = []
    for module, node, text in f.evidence():
        line = module.line_of(node)
        step = {"path": None if module is info else os.path.abspath(module.path), "line": line, "text": text}
        if not steps or steps[-1] != step:
            steps.append(step)
    if len(steps) > MAX_EVIDENCE:
        half = MAX_EVIDENCE // 2
        skipped = len(steps) - 2 * half
        steps = steps[:half] + [{"path": None, "line": None, "text": f"... {skipped} more steps"}] + steps[-half:]
    return steps


def _edits(info, fix) -> Optional[List[dict]]:
    """Text edits (1-based, end exclusive) for a finding's fix, or None if a node is not in this file."""
    out = []
    for node, replacement in fix[1]:
        pos = info.position(node)
        if pos is None:
            return None
        out.append({"line": pos.start.line, "column": pos.start.column + 1, "end_line": pos.end.line,
                    "end_column": pos.end.column + 1, "replacement": replacement})
    return out or None
