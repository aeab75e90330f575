"""Experiments that confirm or refute a suspicion on the call's real inputs and weights.

Every experiment re-runs the *original* torch API (never the user's module, never a wrapper) on
a shadow of the module: a structural copy that shares the real parameters and buffers, has no
hooks and no dropout, and is in the training/eval state that takes the same code path as the
program's call.  It runs under ``torch.no_grad()`` and ``torch.random.fork_rng``; perturbations
come from a private ``torch.Generator``.  Nothing of the user's module or RNG changes.

A *leak* experiment perturbs the keys/values at positions the intended mask hides and watches
the outputs of the other queries: any that move saw a key they must not see.  A *dead-row*
experiment shows that a query attends to nothing: its output is NaN, or it does not move when
every other key does.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import torch

from masklint.conventions import Layout, Stack
from masklint.runtime import report
from masklint.runtime.calls import Call, key_inputs, takes_fast_path

_SEED = 0x6D61736B  # "mask"
_DECODER_ARGS = ("tgt", "tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask",
                 "tgt_is_causal", "memory_is_causal")
_MAX_PROBES = 3


# --- what to test -----------------------------------------------------------------------------
@dataclass
class Leak:
    side: str
    hidden: torch.Tensor  # bool (N|1, Lq, Lk): query i of sample n must not see key j
    what: str  # how the evidence names a hidden key: "future", "padded source", ...
    keep: Optional[torch.Tensor] = None  # bool (N|1, Lq, Lk): the mask as the API reads it (picture)
    unit: str = "full"  # "layer": the first attention layer only (for masks that are not closed
    # under composition; causal and padding masks are, so whole stacks can be tested); "two_hops":
    # the call stacked twice, for keys a query receives only through another query


@dataclass
class Dead:
    side: str
    rows: torch.Tensor  # bool (N|1, Lq): queries predicted to attend to nothing
    nan_only: bool = False  # padded queries: a finding only where their output is NaN


@dataclass
class Disagree:
    """The training (slow) path and the eval fast path compute different outputs."""

    side: str


@dataclass
class Compare:
    """Changing a flag (e.g. ``is_causal=False``) changes the output."""

    side: str
    overrides: Dict[str, object]
    what: str


@dataclass
class Outcome:
    confirmed: Optional[bool]  # None: the experiment could not run
    evidence: List[str] = field(default_factory=list)


# --- shadows of modules --------------------------------------------------------------------------
def original(fn):
    """The torch function behind a masklint wrapper (``fn`` itself when not wrapped)."""
    return getattr(fn, "__masklint_original__", fn)


def shadow(module: torch.nn.Module, train: bool) -> torch.nn.Module:
    """A copy of ``module`` sharing its parameters and buffers, without hooks or dropout."""
    memo: Dict[int, object] = {id(t): t for t in module.parameters()}
    memo.update({id(t): t for t in module.buffers()})
    for m in module.modules():
        for name, value in vars(m).items():
            if "hooks" in name and isinstance(value, dict):
                memo[id(value)] = type(value)()
    twin = copy.deepcopy(module, memo)
    for m in twin.modules():
        if isinstance(m, torch.nn.modules.dropout._DropoutNd):
            m.p = 0.0
        elif isinstance(m, torch.nn.MultiheadAttention):
            m.dropout = 0.0
    return twin.train(train)


def _detect_causal(mask, flag, size):
    from torch.nn.modules.transformer import _detect_is_causal_mask

    return bool(_detect_is_causal_mask(mask, flag, size))


class Probe:
    """Re-runs one unit of the call (the whole API, its encoder, or its first layer)."""

    def __init__(self, call: Call, side: str, unit: str = "full", train: Optional[bool] = None,
                 overrides: Optional[Dict[str, object]] = None):
        self.call = call
        self.keys = key_inputs(call, side)  # the inputs that carry the keys of ``side``
        kw = dict(call.bound)
        kw.update(overrides or {})
        api = call.api
        if call.module is None:  # functional APIs: same arguments, no dropout
            fn = call.orig
            if "dropout_p" in kw:
                kw["dropout_p"] = 0.0
            self.fn, self.kw = (lambda **k: fn(**k)), kw
            if unit == "two_hops":  # the values a second layer reads are this call's output
                self.fn = _twice(fn, api.inputs[2:3])
            return
        if train is None:  # the path the program took: fast path only where torch would take it
            train = not takes_fast_path(call)
        twin = shadow(call.module, train)
        target, kw = twin, kw
        if api.stack is Stack.ENCODER_DECODER and unit == "layer" and side != "src":
            raise NotImplementedError("first-layer experiments on nn.Transformer's decoder side")
        if api.stack is Stack.ENCODER_DECODER and side in ("src", "memory"):
            encoder_kw = {"src": kw["src"], "mask": kw["src_mask"], "src_key_padding_mask": kw["src_key_padding_mask"],
                          "is_causal": kw["src_is_causal"]}
            target, kw = twin.encoder, encoder_kw
            if unit == "layer":
                target, kw = twin.encoder.layers[0], self._layer_kwargs(Stack.ENCODER, encoder_kw)
            elif side == "memory":  # the decoder on the encoder's real output: perturb the memory itself
                memory = original(type(twin.encoder).forward)(twin.encoder, **encoder_kw)
                target, self.keys = twin.decoder, ("memory",)
                kw = {k: call.bound[k] for k in _DECODER_ARGS}
                kw.update(memory=memory, **(overrides or {}))
        elif unit == "layer" and api.layers:
            target = getattr(twin, api.layers)[0]
            kw = self._layer_kwargs(api.stack, kw)
        forward = call.orig if target is twin else original(type(target).forward)
        self.fn, self.kw = (lambda **k: forward(target, **k)), kw
        if unit == "two_hops":
            if api.stack is not Stack.ATTENTION or not call.is_self_attention(side):
                raise NotImplementedError("two-layer experiments on self-attention modules and functions only")
            self.fn = _twice(lambda **k: forward(target, **k), api.inputs[:3])  # query = key = value

    def _layer_kwargs(self, stack, kw: dict) -> dict:
        call = self.call
        if stack is Stack.ENCODER:
            size = call.lengths["src"][0]
            return {"src": kw["src"], "src_mask": kw["mask"], "src_key_padding_mask": kw["src_key_padding_mask"],
                    "is_causal": _detect_causal(kw["mask"], kw["is_causal"], size)}
        kw = dict(kw)
        kw["tgt_is_causal"] = _detect_causal(kw["tgt_mask"], kw["tgt_is_causal"], call.lengths["tgt"][0])
        return kw

    def run(self, replace: Optional[Dict[str, torch.Tensor]] = None) -> torch.Tensor:
        kw = dict(self.kw)
        kw.update(replace or {})
        out = self.fn(**kw)
        return canonical(self.call, out)


def _twice(fn, names):
    """``fn`` as two stacked layers: the second reads the first's output as ``names`` (the values,
    or a self-attention module's query, key and value), so a query receives the keys its visible
    keys saw.  Masks that are closed under composition (causal, padding) give what one layer gives."""
    def run(**kw):
        first = fn(**kw)
        first = first[0] if isinstance(first, (tuple, list)) else first
        if any(kw[n].shape != first.shape for n in names):
            raise NotImplementedError("the output does not have the values' shape")
        return fn(**{**kw, **{n: first for n in names}})
    return run


def canonical(call: Call, out) -> torch.Tensor:
    """The output as float32 (N, Lq, features)."""
    if isinstance(out, (tuple, list)):
        out = out[0]
    if call.api.layout is Layout.HEADS:
        if out.dim() == 4:
            out = out.permute(0, 2, 1, 3).flatten(2)
        elif out.dim() == 2:
            out = out[None]
    elif not call.batched:
        out = out[None]
    elif not call.batch_first:
        out = out.transpose(0, 1)
    return out.float()


# --- the experiments ------------------------------------------------------------------------------
class Lab:
    """Runs the experiments of one call; probes and their baselines are built once."""

    def __init__(self, call: Call):
        self.call = call
        self._probes: Dict[Tuple, Tuple[Probe, torch.Tensor, float]] = {}
        self._gen = torch.Generator().manual_seed(_SEED)
        q = call.query
        self._devices = [q.device] if q.device.type != "cpu" else []

    def run(self, test) -> Outcome:
        try:
            with torch.no_grad(), _fork_rng(self._devices):
                if isinstance(test, Leak):
                    return self.leak(test)
                if isinstance(test, Dead):
                    return self.dead(test)
                if isinstance(test, Disagree):
                    return self.disagree(test)
                if isinstance(test, Compare):
                    return self.compare(test)
        except Exception as exc:  # noqa: BLE001 - e.g. torch itself rejects these masks
            return Outcome(None, [f"the experiment could not run: {type(exc).__name__}: {_first_line(exc)}"])
        return Outcome(None, [])

    # a probe, its baseline output and the noise floor (two identical runs may differ on GPU)
    def _probe(self, side: str, unit: str = "full", train=None, overrides=None):
        key = (side, unit, train, tuple(sorted((overrides or {}).items())))
        if key not in self._probes:
            probe = Probe(self.call, side, unit, train, overrides)
            base = probe.run()
            floor = _maxdiff(base, probe.run())
            self._probes[key] = (probe, base, floor)
        return self._probes[key]

    def _perturb(self, probe: Probe, positions: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Replacement inputs with noise at key ``positions`` (bool (Lk,)); tensors that were
        one object (self-attention) stay one object, so the same code path runs."""
        out: Dict[int, torch.Tensor] = {}
        replace: Dict[str, torch.Tensor] = {}
        for name in probe.keys:
            x = probe.kw[name]
            if id(x) not in out:
                out[id(x)] = self._noisy(x, name, positions)
            replace[name] = out[id(x)]
        for name, value in probe.kw.items():  # keep query is key is value
            if isinstance(value, torch.Tensor) and id(value) in out:
                replace[name] = out[id(value)]
        return replace

    def _noisy(self, x: torch.Tensor, name: str, positions: torch.Tensor) -> torch.Tensor:
        sd = self.call.seq_dim(name) % x.dim()
        shape = [1] * x.dim()
        shape[sd] = x.shape[sd]
        pos = positions.reshape(shape).to(x.device)
        noise = torch.randn(x.shape, generator=self._gen).to(device=x.device, dtype=x.dtype)
        scale = 3.0 * (float(x.detach().float().std()) + 1e-3) if x.numel() > 1 else 3.0
        return torch.where(pos, x + noise * scale, x)

    def leak(self, t: Leak) -> Outcome:
        call = self.call
        probe, base, floor = self._probe(t.side, t.unit)
        n, lq, lk = base.shape[0], base.shape[1], t.hidden.shape[-1]
        hidden = t.hidden.to(base.device).expand(n, lq, lk)
        if call.is_self_attention(t.side) and lq == lk:
            hidden = hidden & ~torch.eye(lq, dtype=torch.bool, device=hidden.device)
        hidden = hidden & ~torch.isnan(base).any(-1)[:, :, None]  # NaN rows tell nothing
        columns = hidden.any(0).any(0).nonzero().flatten().tolist()
        if not columns:
            return Outcome(None, ["no key to test: every query that should not see one is NaN or alone"])
        tol = _tolerance(base, floor)
        seen: List[Tuple[int, int, int, float]] = []
        tried = []
        for j in _spread(columns, _MAX_PROBES):
            positions = torch.zeros(lk, dtype=torch.bool)
            positions[j] = True
            delta = _rowdiff(base, probe.run(self._perturb(probe, positions)))
            tried.append(j)
            moved = (delta > tol) & hidden[:, :, j]
            for b, i in moved.nonzero().tolist()[:3]:
                seen.append((b, i, j, float(delta[b, i])))
        if not seen:
            return Outcome(False, [f"perturbed {t.what} key(s) {tried}: no query that must not see them moved "
                                   f"(tolerance {tol:.2g})"])
        lines = [f"sample {b}: query {i} saw {t.what} key {j}, max |delta| = {d:.3g}" for b, i, j, d in seen[:4]]
        b0 = seen[0][0]
        marks = {(i, j) for b, i, j, _ in seen if b == b0}
        if t.keep is not None:
            shown = t.keep[b0 if t.keep.shape[0] > 1 else 0]
            lines.append(report.picture(shown, f"mask as read, sample {b0} (X: proven wrong)", marks))
        return Outcome(True, lines)

    def dead(self, t: Dead) -> Outcome:
        probe, base, floor = self._probe(t.side)
        n, lq = base.shape[:2]
        rows = t.rows.to(base.device).expand(n, lq)
        nan = torch.isnan(base).any(-1) & rows
        if nan.any():
            b, i = nan.nonzero()[0].tolist()
            return Outcome(True, [f"sample {b}: query {i} attends to no key, its output is NaN "
                                  f"({int(nan.sum())} such row(s))"])
        if not rows.any():
            return Outcome(None, [])
        if t.nan_only:
            return Outcome(False, [f"the {int(rows.sum())} padded query row(s) get finite outputs on this path "
                                   f"({base.device.type}, {base.dtype}); no query reads a padded position, so "
                                   "nothing is lost"])
        lk = self.call.lengths[t.side][1]
        b, i = rows.nonzero()[0].tolist()
        positions = torch.ones(lk, dtype=torch.bool)
        if self.call.is_self_attention(t.side) and lk == lq:
            positions[i] = False  # the query itself stays
        delta = _rowdiff(base, probe.run(self._perturb(probe, positions)))
        still = rows & (delta <= _tolerance(base, floor))
        if still[b, i]:
            zero = " and it is exactly 0" if bool((base[b, i] == 0).all()) else ""
            return Outcome(True, [f"sample {b}: query {i} attends to no key: changing every other position "
                                  f"left its output unchanged{zero} ({int(still.sum())} such row(s))"])
        return Outcome(False, [f"sample {b}: query {i} still depends on the keys (max |delta| = "
                               f"{float(delta[b, i]):.3g})"])

    def disagree(self, t: Disagree) -> Outcome:
        if self.call.module is None:
            return Outcome(None, [])
        _, slow, f1 = self._probe(t.side, train=True)
        _, fast, f2 = self._probe(t.side, train=False)
        diff = _maxdiff(slow, fast)
        if diff > _tolerance(slow, max(f1, f2)):
            return Outcome(True, [f"training (slow path) and eval (fast path) outputs differ: max |delta| = "
                                  f"{diff:.3g}"])
        return Outcome(False, ["training and eval paths agree on these inputs"])

    def compare(self, t: Compare) -> Outcome:
        _, base, floor = self._probe(t.side)
        _, other, _ = self._probe(t.side, overrides=t.overrides)
        diff = _maxdiff(base, other)
        if diff > _tolerance(base, floor):
            return Outcome(True, [f"with {t.what} the output changes by max |delta| = {diff:.3g}: the flag "
                                  f"changed which keys are attended"])
        return Outcome(False, [f"with {t.what} the output is the same: harmless on these inputs"])


# --- numerics -------------------------------------------------------------------------------------
def _rowdiff(a: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    d = (a - b).abs().amax(-1)
    both_nan = torch.isnan(a).any(-1) & torch.isnan(b).any(-1)
    return torch.where(both_nan, torch.zeros_like(d), torch.nan_to_num(d, nan=float("inf")))


def _maxdiff(a: torch.Tensor, b: torch.Tensor) -> float:
    return float(_rowdiff(a, b).max()) if a.numel() else 0.0


def _tolerance(base: torch.Tensor, floor: float) -> float:
    finite = base[torch.isfinite(base)]
    scale = max(1.0, float(finite.abs().max())) if finite.numel() else 1.0
    return 4 * floor + 16 * torch.finfo(torch.float32).eps * scale


def _spread(columns: List[int], k: int) -> List[int]:
    """Up to k columns spread over the list (last, first, middle)."""
    if len(columns) <= k:
        return columns
    picks = [columns[-1], columns[0], columns[len(columns) // 2]]
    return list(dict.fromkeys(picks))[:k]


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else ""


class _fork_rng:
    """``torch.random.fork_rng`` for the devices in use (no warning about unlisted devices)."""

    def __init__(self, devices):
        self.devices = devices

    def __enter__(self):
        device_type = self.devices[0].type if self.devices else "cuda"
        self._ctx = torch.random.fork_rng(devices=[d.index or 0 for d in self.devices],
                                          device_type=device_type)
        self._ctx.__enter__()

    def __exit__(self, *exc):
        return self._ctx.__exit__(*exc)
