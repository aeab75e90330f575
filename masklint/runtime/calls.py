"""One intercepted attention call, normalised: its API (from ``masklint.conventions``), arguments
by name, and the geometry the API reads masks against (N, H, query and key lengths, layout)."""
from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Optional, Tuple

import torch

from masklint.conventions import Api, Layout, MaskParam, Stack

_signatures: Dict[Any, inspect.Signature] = {}


def signature(api: Api, orig: Callable) -> inspect.Signature:
    """The API's signature; builtins (F.scaled_dot_product_attention) have theirs in the table."""
    sig = _signatures.get(orig)
    if sig is None:
        if api.signature:
            sig = inspect.Signature([
                inspect.Parameter(n, inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                  default=inspect.Parameter.empty if d is ... else d)
                for n, d in api.signature])
        else:
            sig = inspect.signature(orig)
        _signatures[orig] = sig
    return sig


def _sides(api: Api) -> Dict[str, Tuple[str, str]]:
    """side -> (the input holding its queries, the input holding its keys)."""
    return {side: (q, k) for side, q, k in api.sides}


def first_attention(module) -> Optional[torch.nn.MultiheadAttention]:
    """The first MultiheadAttention of a Transformer* module (for heads and batch_first)."""
    if module is None:
        return None
    return next((m for m in module.modules() if isinstance(m, torch.nn.MultiheadAttention)), None)


@dataclass
class Call:
    api: Api
    orig: Callable
    args: Tuple
    kwargs: Dict[str, Any]
    bound: Dict[str, Any]
    module: Optional[torch.nn.Module]
    batch_first: bool
    num_heads: int
    batched: bool
    lengths: Dict[str, Tuple[int, int]] = field(default_factory=dict)  # side -> (queries, keys)
    n: Optional[int] = None

    # --- accessors ------------------------------------------------------------------------------
    def get(self, name: str, default=None):
        return self.bound.get(name, default)

    @property
    def query(self) -> torch.Tensor:
        return self.bound[self.api.inputs[0]]

    def masks(self):
        """(MaskParam, tensor) for every mask parameter that was given."""
        for p in self.api.params:
            value = self.bound.get(p.name)
            if value is not None:
                yield p, value

    def side_of(self, p: MaskParam) -> str:
        sides = _sides(self.api)
        return p.side if p.side in sides else next(iter(sides))

    def seq_dim(self, name: str) -> int:
        """Sequence dimension of input ``name`` (queries/keys live there)."""
        if self.api.layout is Layout.HEADS:
            return -2
        return 1 if (self.batch_first and self.batched) else 0

    def batch_dim(self, name: str) -> Optional[int]:
        if not self.batched:
            return None
        return 0 if self.batch_first else 1

    def is_self_attention(self, side: str) -> bool:
        q, k = _sides(self.api)[side]
        return q == k or self.bound.get(q) is self.bound.get(k)


def build(api: Api, orig: Callable, args: Tuple, kwargs: Dict[str, Any]) -> Call:
    bound_args = signature(api, orig).bind(*args, **kwargs)
    bound_args.apply_defaults()
    bound = dict(bound_args.arguments)
    module = bound.pop("self", None) if api.kind == "module" else None
    for p in api.params:  # a torch.nn.attention bias object (causal_lower_right(L, S)): the mask it stands for
        value = bound.get(p.name)
        if is_bias_object(value) and hasattr(value, "_materialize"):
            bound[p.name] = value._materialize(bound[api.inputs[0]].device)
    if api.layout is Layout.SEQ_FIRST:
        batch_first, heads = False, int(bound["num_heads"])
    elif api.layout is Layout.HEADS:
        q = bound["query"]
        batch_first, heads = True, (q.shape[-3] if q.dim() >= 4 else 1)
    elif api.stack is Stack.ENCODER_DECODER:
        attn = first_attention(module)
        batch_first, heads = bool(module.batch_first), (attn.num_heads if attn is not None else 1)
    else:
        attn = module if api.stack is Stack.ATTENTION else first_attention(module)
        batch_first = bool(getattr(attn, "batch_first", False))
        heads = attn.num_heads if attn is not None else 1
    first = bound[api.inputs[0]]
    call = Call(api, orig, args, kwargs, bound, module, batch_first, heads, batched=first.dim() >= 3)
    for side, (qname, kname) in _sides(api).items():
        q, k = bound.get(qname), bound.get(kname)
        if isinstance(q, torch.Tensor) and isinstance(k, torch.Tensor):
            call.lengths[side] = (q.shape[call.seq_dim(qname)], k.shape[call.seq_dim(kname)])
    bdim = call.batch_dim(api.inputs[0])
    call.n = first.shape[bdim] if bdim is not None else None
    return call


def always_a_key(call: "Call") -> bool:
    """nn.MultiheadAttention with add_zero_attn or a bias_k appends a key that no mask hides:
    no query is ever left without a key."""
    attn = call.module if isinstance(call.module, torch.nn.MultiheadAttention) else \
        first_attention(call.module) if call.module is not None else None
    return attn is not None and (bool(getattr(attn, "add_zero_attn", False)) or getattr(attn, "bias_k", None) is not None)


def is_bias_object(x) -> bool:
    """A torch.nn.attention bias object (``causal_lower_right(L, S)``): a tensor subclass whose
    shape is not a mask's; SDPA handles it itself."""
    return isinstance(x, torch.Tensor) and type(x).__module__.startswith("torch.nn.attention")


def has_hooks(module: torch.nn.Module) -> bool:
    return any(len(getattr(m, "_forward_hooks", ())) + len(getattr(m, "_forward_pre_hooks", ()))
               for m in module.modules())


def takes_fast_path(call: Call) -> bool:
    """Whether torch's eval fast path (FM/FE/NT) is open to this module call, as torch decides it:
    eval, fast path enabled, batched batch_first input, even heads, no autocast, no hooks, and no
    autograd needed.  (The C++ kernels then read float masks as bool and ignore is_causal.)"""
    m = call.module
    if m is None or m.training or not call.batch_first or not call.batched or call.num_heads % 2:
        return False
    if not torch.backends.mha.get_fastpath_enabled():
        return False
    if torch.is_autocast_enabled(call.query.device.type) or has_hooks(m):
        return False
    if torch.is_grad_enabled() and (call.query.requires_grad or any(p.requires_grad for p in m.parameters())):
        return False
    return True


def key_inputs(call: Call, side: str) -> Tuple[str, ...]:
    """The inputs to perturb to change the keys (and values) of ``side``."""
    kname = _sides(call.api)[side][1]
    return (kname, "value") if "value" in call.api.inputs else (kname,)
