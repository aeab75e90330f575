"""Install and remove masklint's wrappers around torch's attention APIs.

Wrappers replace class attributes (``nn.MultiheadAttention.forward`` and the Transformer*
forwards, so modules created before instrumenting are covered) and module attributes
(``F.scaled_dot_product_attention``, ``F.multi_head_attention_forward``, ``flex_attention``).
References bound before instrumenting (``from torch.nn.functional import
scaled_dot_product_attention``) are found in ``sys.modules`` and rebound.  Everything is
restored to the identical objects on ``uninstall()``.

No forward hooks and no TorchFunctionMode: both would switch off the eval fast paths and change
results.  Inside code that ``torch.compile`` traces, a wrapper is the original call and nothing
else (``torch.compiler.is_compiling()``): a check there would break the graph, and inductor
(and aot_eager) compile the pieces of a broken graph differently (other fusions, other dropout
random streams), and even the eager backend then runs MHA's eval fast path where the traced
graph does not, so results would change.  Compiled attention calls are therefore not checked,
and each ``torch.compile`` of user code is named in the report's notes.  ``torch.jit.script`` sees the
originals (masklint steps aside while it compiles).
"""
from __future__ import annotations

import functools
import importlib
import sys
import threading
import types
from typing import Any, Callable, List, Tuple

import torch

from masklint import conventions as C
from masklint.runtime import checker, manual, session
from masklint.runtime.calls import is_bias_object

_lock = threading.RLock()
_installed: List[Tuple[Any, str, Any]] = []  # (owner, attribute, original)
_rebound: List[Tuple[dict, str, Any, Any]] = []  # (module globals, name, original, wrapper)
_INHERITED = object()  # an attribute the owner inherits (not in its own __dict__)
_checked = torch.compiler.disable(checker.check)  # never traced, even if called under compile


def _resolve(dotted: str) -> Any:
    """``torch.nn.MultiheadAttention`` -> the class; ``torch.nn.functional`` -> the module."""
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:i]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def _targets() -> List[Tuple[Any, str, C.Api]]:
    """Every runtime entry point of the conventions table that this installation has."""
    out = []
    for api in C.BY_KEY.values():  # the APIs and hand-written attention's masked_fill
        for owner, name in api.runtime:
            try:
                out.append((_resolve(owner), name, api))
            except (ImportError, AttributeError):
                continue  # a library that is not installed (flash_attn, xformers need CUDA)
    return out


def _bias_objects(args, kwargs) -> List[Any]:
    """Arguments that are torch.nn.attention bias objects (``causal_lower_right(L, S)``)."""
    return [a for a in (*args, *kwargs.values()) if is_bias_object(a)]


def _wrap(api: C.Api, orig: Callable) -> Callable:
    if api is C.MANUAL_ADD:
        return _wrap_add(api, orig)
    if api.stack is C.Stack.MANUAL:
        return _wrap_manual(api, orig)

    @functools.wraps(orig)
    def wrapper(*args, **kwargs):
        if torch.compiler.is_compiling():  # traced by dynamo: exactly the original op in the graph
            return orig(*args, **kwargs)
        _checked(api, orig, args, kwargs)
        biases = _bias_objects(args, kwargs) if api.kind != "module" else ()
        if biases:
            # A CausalBias handles SDPA itself, when the function it is handed *is*
            # F.scaled_dot_product_attention: that name is this wrapper now, so hand it this wrapper
            # (handed the original it would be read as a plain tensor, and the result would change).
            return torch.overrides.handle_torch_function(wrapper, biases, *args, **kwargs)
        out = orig(*args, **kwargs)
        if api.stack is C.Stack.ENCODER:
            _remembered(api, args, kwargs, out)
        return out

    wrapper.__masklint_original__ = orig
    return wrapper


class _SameAs:
    """A wrapper of a torch function or Tensor method that compares and hashes like the original:
    a tensor subclass whose ``__torch_function__`` looks ``func`` up in a table of the originals
    (the "Extending torch" pattern) still finds it.  As a class attribute it binds like a method."""

    def __init__(self, orig: Callable, call: Callable):
        functools.update_wrapper(self, orig)
        self.__masklint_original__ = orig
        self._call = call

    def __call__(self, *args, **kwargs):
        return self._call(*args, **kwargs)

    def __get__(self, obj, owner=None):
        return self if obj is None else types.MethodType(self, obj)

    def __eq__(self, other):
        return other is self or other == self.__masklint_original__

    def __hash__(self):
        return hash(self.__masklint_original__)


def _wrap_add(api: C.Api, orig: Callable) -> Callable:
    """``Tensor.__add__`` and friends: the most frequent call of a program, so the test that it
    adds a mask to attention scores is inlined (attributes only)."""
    added = manual.added

    def wrapper(*args, **kwargs):
        if added(args, kwargs) is not None and not _foreign_context():
            _checked(api, orig, args, kwargs)
        return orig(*args, **kwargs)

    return _SameAs(orig, wrapper)


def _wrap_manual(api: C.Api, orig: Callable) -> Callable:
    """``Tensor.masked_fill``, ``torch.where``: every call of the program comes here, so the test
    of whether it masks attention scores (attributes only) comes before anything else."""
    where = api is C.MANUAL_WHERE

    def wrapper(*args, **kwargs):
        if manual.operands(api, args, kwargs) is not None and not _foreign_context():  # attributes first
            _checked(api, orig, args, kwargs)
        elif where and not _foreign_context():
            flipped = manual.fill_first(args, kwargs)  # torch.where(mask, -inf, scores): a masked_fill
            if flipped is not None:
                _checked(C.MANUAL_MASKED_FILL, orig, flipped, {})
        return orig(*args, **kwargs)

    return _SameAs(orig, wrapper)


_dispatch_depth = getattr(torch._C, "_len_torch_dispatch_stack", lambda: 0)
_functorch_level = getattr(getattr(torch._C, "_functorch", None), "maybe_current_level", lambda: None)


def _foreign_context() -> bool:
    """Code that another machinery records or transforms: torch.compile, torch.jit.trace, a
    TorchDispatchMode (a profiler, an op logger), a functorch transform (vmap, grad).  Every op
    masklint ran there would show up in it, or fail: hand-written attention is left alone."""
    return (torch.compiler.is_compiling() or torch.jit.is_tracing() or _dispatch_depth() > 0
            or _functorch_level() is not None)


@torch.compiler.disable
def _remembered(api: C.Api, args, kwargs, out) -> None:
    """An encoder's output and the source padding it masked, for its decoder (ML502); never raises."""
    try:
        checker.remember_encoded(api, args, kwargs, out)
    except Exception as exc:  # noqa: BLE001 - never break the user's program
        session.internal_error(f"after a call to {api.display}", exc)


def _script(orig_script: Callable) -> Callable:
    @functools.wraps(orig_script)
    def script(obj, *args, **kwargs):
        session.note("torch.jit.script'ed code is left alone: masklint does not check calls inside it")
        with _lock:
            installed = bool(_installed)
            if installed:
                uninstall()
            try:
                return orig_script(obj, *args, **kwargs)
            finally:
                if installed:
                    install()

    script.__masklint_original__ = orig_script
    return script


def _compile(orig_compile: Callable) -> Callable:
    @functools.wraps(orig_compile)
    def compile(*args, **kwargs):
        frame = sys._getframe(1)
        if frame.f_globals.get("__name__", "").split(".")[0] != "torch":  # torch compiles its own helpers
            target = args[0] if args else kwargs.get("model")
            name = type(target).__name__ if isinstance(target, torch.nn.Module) else getattr(
                target, "__qualname__", "a function")
            session.note(f"torch.compile({name}) at {frame.f_code.co_filename}:{frame.f_lineno}: attention calls "
                         "inside compiled code are not checked (a check there would change compiled results); "
                         "run a step eagerly to have them checked")
        return orig_compile(*args, **kwargs)

    compile.__masklint_original__ = orig_compile
    return compile


def install() -> None:
    with _lock:
        if _installed:
            return
        originals = {}
        for owner, name, api in _targets():
            # torch.Tensor inherits its methods from torch._C.TensorBase: the wrapper shadows
            # the inherited one on torch.Tensor, and uninstall() deletes it again
            orig = vars(owner).get(name, _INHERITED)
            _installed.append((owner, name, orig))
            orig = getattr(owner, name) if orig is _INHERITED else orig
            wrapper = _wrap(api, orig)
            setattr(owner, name, wrapper)
            if isinstance(owner, types.ModuleType):
                originals[id(orig)] = (orig, wrapper)
        orig_script = torch.jit.script
        _installed.append((torch.jit, "script", orig_script))
        torch.jit.script = _script(orig_script)
        originals[id(orig_script)] = (orig_script, torch.jit.script)
        orig_compile = torch.compile
        _installed.append((torch, "compile", orig_compile))
        torch.compile = _compile(orig_compile)
        _rebind(originals)


def _rebind(originals: dict) -> None:
    """Point names bound before instrumenting (``from torch.nn.functional import ...``) at the
    wrappers, in every loaded module outside torch and masklint."""
    for modname, module in list(sys.modules.items()):
        if not isinstance(module, types.ModuleType) or modname.split(".")[0] in ("torch", "masklint"):
            continue
        try:
            namespace = vars(module)
            hits = [(k, v) for k, v in list(namespace.items()) if id(v) in originals and originals[id(v)][0] is v]
        except Exception:  # noqa: BLE001 - exotic module objects
            continue
        for name, value in hits:
            wrapper = originals[id(value)][1]
            namespace[name] = wrapper
            _rebound.append((namespace, name, value, wrapper))


def uninstall() -> None:
    """Restore every patched attribute and rebound name to the identical original object."""
    with _lock:
        for namespace, name, orig, wrapper in reversed(_rebound):
            if namespace.get(name) is wrapper:
                namespace[name] = orig
        _rebound.clear()
        for owner, name, orig in reversed(_installed):
            if orig is _INHERITED:
                delattr(owner, name)
            else:
                setattr(owner, name, orig)
        _installed.clear()
        checker.reset()


def installed() -> bool:
    return bool(_installed)
