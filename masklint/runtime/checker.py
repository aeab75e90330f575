"""What runs inside every wrapped call: cheap facts on each new signature, content checks and
experiments once per call site and shape signature (then sampled), static findings re-checked."""
from __future__ import annotations

import linecache
import re
import sys
import threading
from typing import Dict, List, Optional, Set, Tuple

import torch

from masklint import conventions as C
from masklint.rules import get_rule
from masklint.runtime import callsite, manual, report, rows, session, validators
from masklint.runtime.calls import Call, build
from masklint.runtime.experiments import Lab, Outcome
from masklint.runtime.findings import Finding, rule_name

_tls = threading.local()
_lock = threading.Lock()
_calls: Dict[Tuple, int] = {}  # (site, api, signature) -> calls seen
_sites: Dict[Tuple, List[int]] = {}  # site -> [calls, signatures whose content was checked]
#: a call site with dynamic shapes: after this many signatures, new ones are only sampled
MAX_SIGNATURES_PER_SITE = 8
_reported: Set[Tuple] = set()  # (path, line, code, param) already reported
_static_done: Set[Tuple] = set()  # call sites whose static findings were re-checked



def reset() -> None:
    """Forget which call sites were checked (a new session, or a new test under pytest)."""
    with _lock:
        _calls.clear()
        _sites.clear()
        _reported.clear()
        _static_done.clear()
        _pending.clear()
        _causal_sites.clear()
        _key_lengths.clear()
        validators.forget_memories()


def check(api, orig, args, kwargs) -> None:
    """Called by every wrapper before the original runs.  Raises only MaskLintError (raise mode)."""
    if getattr(_tls, "busy", False) or not session.active():
        return
    _tls.busy = True
    try:
        findings = _check(api, orig, args, kwargs, sys._getframe(1))
    except Exception as exc:  # noqa: BLE001 - never break the user's program
        session.internal_error(f"checking a call to {api.display}", exc)
        return
    finally:
        _tls.busy = False
    for finding in findings:
        session.dispatch(finding)


def _check(api, orig, args, kwargs, frame) -> List[Finding]:
    if _skip_context():
        return []
    site = callsite.find_site(frame)
    if site is None:
        return []  # torch called it on behalf of an outer API call, which is checked instead
    key = (site.key, api.key, _signature(args, kwargs))
    every = session.sample_every()
    with _lock:
        seen = _calls.get(key, 0)
        _calls[key] = seen + 1
        counts = _sites.setdefault(site.key, [0, 0])
        counts[0] += 1
        sampled = bool(every) and counts[0] % every == 0
        if seen:  # a known signature: its facts cannot change, its content can
            content = bool(every) and seen % every == 0
        else:
            content = counts[1] < MAX_SIGNATURES_PER_SITE or sampled
            counts[1] += content
    if not content:
        # every call: one reduction per mask, read at once on the CPU; on an accelerator it is
        # summed on the device and read at the site's next sampled call (no sync per call)
        content = _tripwire(api, args, kwargs, site)
        if seen and not content:
            return []  # its facts were checked with its signature
    findings = _analyse(api, orig, args, kwargs, site, content, frame)
    if content:
        findings += _device_tripwire_findings(api, site)
    return findings


# --- the every-call check ----------------------------------------------------------------------
READ_NOW = ("cpu",)  # devices whose every-call flag is read at once (reading it costs no sync)
_pending: Dict[Tuple, "torch.Tensor"] = {}  # site -> calls (on the device) whose masks left a query no key


def _mask_values(api, args, kwargs):
    """(param, tensor) for the bool masks and -inf additive masks of a call, without binding its
    signature (cheap: this runs on every call)."""
    offset = 1 if api.kind in ("module", "method") else 0  # args[0] is the module (the scores)
    for p in api.params:
        value = kwargs.get(p.name)
        if value is None and p.position is not None and len(args) > p.position + offset:
            value = args[p.position + offset]
        if isinstance(value, torch.Tensor) and value.dim() >= 1 and type(value) is torch.Tensor:
            yield p, value


def _half(api, args, kwargs) -> bool:
    """Does the call run in half precision (a float16 / bfloat16 query, or autocast)?"""
    offset = 1 if api.kind in ("module", "method") else 0
    query = kwargs.get(api.inputs[0]) if api.inputs else None
    if query is None and len(args) > offset:
        query = args[offset]
    if not isinstance(query, torch.Tensor):
        return False
    return rows.runs_in_half(query)


def _dead_any(p, m: "torch.Tensor", padded_ok: bool) -> "torch.Tensor":
    """A 0-dim bool: does some query (row) of this mask attend to no key at all?  ``padded_ok``:
    not counting rows of padded queries in a square mask (SDPA and flex in float32, see
    validators._no_key)."""
    from masklint.conventions import Polarity

    if m.dtype == torch.bool:
        blocked = m if p.polarity is Polarity.BLOCK else ~m
    elif m.is_floating_point():
        blocked = torch.isneginf(m)  # -inf rows are NaN; finfo.min rows are uniform, not dead
    else:
        return torch.zeros((), dtype=torch.bool, device=m.device)
    dead = blocked.all(-1)
    if padded_ok and m.dim() >= 2 and m.shape[-1] == m.shape[-2]:
        dead = dead & ~rows.padded_queries(~blocked, dead, to_longest=True)
    return dead.any()


def _tripwire(api, args, kwargs, site) -> bool:
    """Does this call (not sampled) need the content checks: a fully padded sample, a query with
    no attendable key, a mask blocking everything?  CPU: answered now.  Elsewhere: counted on the
    device for the site's next sampled call (``mode="raise"``: answered now, one sync per call)."""
    dead = None
    padded_ok = api.layout is C.Layout.HEADS and not _half(api, args, kwargs)
    for p, m in _mask_values(api, args, kwargs):
        d = _dead_any(p, m, padded_ok)
        dead = d if dead is None else dead | d.to(dead.device)
    if dead is None:
        return False
    if dead.device.type in READ_NOW or any(s.mode == "raise" for s in session.active()):
        return bool(dead)
    with _lock:
        prev = _pending.get(site.key)
        _pending[site.key] = dead.int() if prev is None else prev + dead.int()
    return False


def _device_tripwire_findings(api, site) -> List[Finding]:
    """Calls at this site, since its last sampled check, whose masks left a query no key (counted
    on the device by the every-call check; their masks were not kept)."""
    with _lock:
        count = _pending.pop(site.key, None)
    if count is None:
        return []
    n = int(count)
    if not n or _is_reported(site, "ML601", "every-call"):
        return []
    return [Finding("ML601", rule_name("ML601"), f"{n} call(s) at this site since its last sampled check had a "
                    "query with no attendable key (every-call check on the device; those calls' masks were not "
                    "kept, so nothing more is known about them)", site.path, site.line, True, api=api.display)]


def _skip_context() -> bool:
    if torch.jit.is_tracing() or torch.jit.is_scripting():
        return True
    cuda = getattr(torch, "cuda", None)
    return bool(cuda is not None and cuda.is_available() and cuda.is_current_stream_capturing())


def _autocast_state() -> Tuple:
    """Which device types autocast is on for, and to what dtype (it changes the mask/query dtypes)."""
    state = []
    for dev in ("cpu", "cuda"):
        try:
            if torch.is_autocast_enabled(dev):
                state.append((dev, torch.get_autocast_dtype(dev)))
        except (RuntimeError, TypeError, AttributeError):  # a device type this build lacks
            continue
    return tuple(state)


def _signature(args, kwargs) -> Tuple:
    """What decides the checks' results besides tensor values: shapes, dtypes, flags, mode."""
    parts: List = [torch.is_grad_enabled(), torch.is_inference_mode_enabled(), _autocast_state()]
    for name, value in [(None, a) for a in args] + sorted(kwargs.items()):
        parts.append(name)
        if isinstance(value, torch.Tensor):
            parts.append((tuple(value.shape), value.dtype, value.device.type, value.requires_grad))
        elif isinstance(value, torch.nn.Module):
            parts.append((type(value), value.training))
        elif value is None or isinstance(value, (bool, int, float, str)):
            parts.append(value)
        elif hasattr(value, "mask_mod"):  # a flex BlockMask
            parts.append((tuple(getattr(value, "shape", ())), getattr(value.mask_mod, "__code__", None)))
        else:
            parts.append(type(value))
    return tuple(parts)


def _plain_tensors(call: Call) -> bool:
    """Content checks need real, dense tensors (not fake, meta, nested or subclassed ones)."""
    for value in call.bound.values():
        if isinstance(value, torch.Tensor):
            if type(value) not in (torch.Tensor, torch.nn.Parameter) or value.is_nested or value.is_meta:
                return False
    return True


def _analyse(api, orig, args, kwargs, site, content: bool, frame=None) -> List[Finding]:
    if api.stack is C.Stack.MANUAL:  # hand-written attention: no API to re-run
        findings = manual.analyse(api, site, args, kwargs, content, _is_reported)
        if session.static_enabled() and site.key not in _static_done:
            _static_done.add(site.key)
            findings += manual.static(api, site, findings, _is_reported)
        return [f for f in findings if not callsite.suppressed(site, f.code)]
    call = build(api, orig, args, kwargs)
    plain = _plain_tensors(call)
    suspects = validators.check(call, with_content=plain and content)
    if plain and content:
        suspects += _dropped_causal(call, site)
    lab = Lab(call)
    findings: List[Finding] = []
    for s in suspects:
        if callsite.suppressed(site, s.code) or _is_reported(site, s.code, s.param):
            continue
        findings.append(_confirm(call, lab, site, s))
    if plain and session.static_enabled() and site.key not in _static_done:
        _static_done.add(site.key)
        findings.extend(_static(call, lab, site, suspects, findings, frame))
    return [f for f in findings if not callsite.suppressed(site, f.code)]


_causal_sites: Set[Tuple] = set()  # call sites that applied a causal mask or flag on some call
_key_lengths: Dict[Tuple, Set[int]] = {}  # (site, side) -> key lengths its calls had


def remember_encoded(api, args, kwargs, out) -> None:
    """After an encoder call with a source padding mask: its output and the padded positions, so
    that a decoder given that output as memory without memory_key_padding_mask is caught."""
    if not session.active() or not isinstance(out, torch.Tensor):
        return
    p = api.param("src_key_padding_mask")
    if p is None:
        return
    kpm = kwargs.get(p.name)
    if kpm is None and p.position is not None and len(args) > p.position + 1:
        kpm = args[p.position + 1]  # args[0] is the module
    if not isinstance(kpm, torch.Tensor) or kpm.dim() != 2 or type(kpm) is not torch.Tensor:
        return
    pads = kpm if kpm.dtype == torch.bool else (kpm <= -validators.NEG_BLOCK) if kpm.is_floating_point() else None
    if pads is not None and bool(pads.any()):
        validators.remember_memory(out, pads.detach())


def _dropped_causal(call: Call, site) -> List["validators.Suspect"]:
    """A call site that was causal (a prefill with is_causal=True, a causal mask) and now runs a
    chunk of several new tokens against a KV cache with no mask at all: they see each other's
    future.  (One new token needs no mask: it may see every key.)"""
    from masklint.runtime.experiments import Leak

    out = []
    for side, (lq, lk) in call.lengths.items():
        if side == "memory":
            continue
        with _lock:
            seen = _key_lengths.setdefault((site.key, side), set())
            grown = lk - lq in seen  # the keys are the ones an earlier call here saw, plus this chunk
            if len(seen) < 4096:
                seen.add(lk)
        if _has_causal_intent(call, side):
            with _lock:
                _causal_sites.add(site.key)
            continue
        masked = any(call.side_of(p) == side for p, _ in call.masks())
        if masked or not 1 < lq < lk or site.key not in _causal_sites or not grown:
            continue  # (keys of another length: cross-attention at a site shared with self-attention)
        hidden = torch.ones(lq, lk, dtype=torch.bool).triu(lk - lq + 1)[None]  # the chunk's own future
        out.append(validators.Suspect(
            "ML401", f"this call applied a causal mask on earlier calls, and now runs {lq} new tokens against "
            f"{lk} keys (a KV cache) with no mask: each new token sees the new tokens after it; pass a "
            f"bottom-right causal mask (torch.nn.attention.bias.causal_lower_right({lq}, {lk}))", "",
            tests=[Leak(side, hidden, "future")], side=side))
    return out


def _is_reported(site, code: str, param: str) -> bool:
    key = (site.path, site.line, code, param)
    with _lock:
        if key in _reported:
            return True
        _reported.add(key)
    return False


def _confirm(call: Call, lab: Lab, site, s) -> Finding:
    evidence = list(s.evidence)
    confirmed = s.fact
    if s.fact:
        evidence.append(f"{call.api.display} enforces this itself (an error or a misread mask on every call)")
    drawn = False
    refuted = False  # an experiment ran and contradicted it (none could confirm it)
    for test in s.tests:
        outcome = lab.run(test)
        evidence.extend(outcome.evidence)
        drawn = any("\n" in e for e in outcome.evidence)
        refuted = refuted or outcome.confirmed is False
        if outcome.confirmed:
            confirmed = True
            break
    if s.picture and not drawn:
        evidence.append(s.picture)
    return Finding(s.code, rule_name(s.code), s.message, site.path, site.line, confirmed,
                   "\n".join(e for e in evidence if e), call.api.display, s.param,
                   refuted=refuted and not confirmed)


def _static(call: Call, lab: Lab, site, suspects, runtime: List[Finding], frame=None) -> List[Finding]:
    """Confirm or refute each static finding at this call site with the runtime's evidence
    (``frame``: masklint's, inside the call; the stack above it holds the callers' masks)."""
    out: List[Finding] = []
    for d in callsite.static_at(site):
        same = next((f for f in runtime if f.code == d.code), None)
        if same is not None:  # the linter and the runtime agree: one finding, both sources
            same.source = "static+runtime"
            same.evidence = f"the linter reported it too: {d.message}\n{same.evidence}"
            _is_reported(site, d.code, "static")
            continue
        rule = get_rule(d.code)
        related = (d.code,) + (rule.also_confirmed_by if rule is not None else ())
        match = next((f for f in runtime if f.code in related and f.confirmed), None)
        if match is not None:
            confirmed, refuted, evidence = True, False, f"confirmed at runtime by {match.code}:\n{match.evidence}"
        elif d.code == "ML501" and d.message.startswith("a causal"):
            outcome = _causal_in_padding_slot(call, lab)
            confirmed, refuted = bool(outcome.confirmed), outcome.confirmed is False
            evidence = "\n".join(outcome.evidence) or "no runtime experiment applies to this code"
        elif _held_name(d) is not None:
            held = callsite.held_mask(callsite.user_frame(frame), _held_name(d), d.path, d.line)
            real = _real_keys(held) if d.code == "ML504" else _real_rows(held)
            outcome = _padding_seen(call, lab, real)
            confirmed, refuted = bool(outcome.confirmed), outcome.confirmed is False
            evidence = "\n".join(outcome.evidence)
        elif rule is not None and not rule.confirmed_by:
            confirmed, refuted = False, False
            evidence = "static only: masklint.instrument() has no check for this code"
        else:
            outcome = _generic_experiment(call, lab, d.code, padding=_about_padding(d), self_loops=_self_loops(d))
            confirmed = bool(outcome.confirmed)
            refuted = outcome.confirmed is False
            evidence = "\n".join(outcome.evidence) or "no runtime experiment applies to this code"
        if _is_reported(site, d.code, "static"):
            continue
        if not site.line <= d.line <= site.end_line:
            what = "the padded input" if d.code == "ML505" else "the mask"
            evidence = f"the linter reports it at line {d.line}, where {what} is passed in\n{evidence}"
        out.append(Finding(d.code, d.name, d.message, site.path, site.line, confirmed, evidence,
                           call.api.display, "", source="static", refuted=refuted))
    return out


def _because(outcome: Outcome, reason: str) -> Outcome:
    """A confirmed experiment's evidence, after the line that says why it was run."""
    return Outcome(True, [reason] + outcome.evidence) if outcome.confirmed else outcome


def _causal_in_padding_slot(call: Call, lab: Lab) -> Outcome:
    """The linter found a causal mask passed positionally into a key padding slot.  It runs only
    when the batch size equals the length, and then sample ``b`` hides keys by row ``b`` of the
    triangle, whatever the query: does a query see a later key?"""
    from masklint.runtime.experiments import Leak

    for p, m in call.masks():
        if p.role is not C.Role.KEY_PADDING or not isinstance(m, torch.Tensor) or m.dim() != 2:
            continue
        side = call.side_of(p)
        lq, lk = call.lengths.get(side, (0, 0))
        if lq != lk or lq < 2 or m.shape != (lq, lk):
            continue
        keep = validators.keep_of(validators.additive(call, p, m[:, None, None, :]))[:, 0, 0]
        tri = torch.ones(lq, lk, dtype=torch.bool, device=keep.device)
        if bool((keep & ~tri.tril()).any()) and bool((keep & ~tri.triu()).any()):
            continue  # not a triangle: a padding mask after all
        return _because(lab.run(Leak(side, torch.ones(lq, lk, dtype=torch.bool).triu(1)[None], "future")),
                        f"{p.name} is a ({lq}, {lk}) triangle: {call.api.display} reads row b as the keys sample b "
                        "may attend, for every query, so no query is causally masked:")
    return Outcome(None, ["no square triangular mask in a key padding slot on this call"])


def _held_name(d) -> Optional[str]:
    """The value a padding finding says the code holds: the padding mask an ML504 finding says is
    never used ("padding mask `src_pad` is never used"), or the padded batch an ML505 finding says
    is attended without one ("attends over padded `frames`")."""
    m = re.match(r"(?:left-padded |padding )mask `([^`]+)` is never used|`([^`]+)` is passed on the other branch",
                 d.message) \
        if d.code == "ML504" else \
        re.search(r"attends over padded `([^`]+)` without a padding mask", d.message) if d.code == "ML505" else None
    return next((g for g in m.groups() if g), None) if m else None


def _padding_seen(call: Call, lab: Lab, real: Optional[torch.Tensor]) -> Outcome:
    """A call that runs without the padding mask the code holds (ML504), or over a padded batch
    without one (ML505): perturb the padded keys (``real``: bool (N, S), True at real ones; told
    from the held value's layout); if real queries move, they attend to the padding."""
    from masklint.runtime.experiments import Leak

    if real is None:
        return Outcome(None, ["the padding cannot be told from the value the caller holds (not an (N, S) mask or "
                              "a padded batch, no unpadded sample, or not one run of real positions per sample)"])
    for side, (lq, lk) in call.lengths.items():
        if lk != real.shape[1]:
            continue
        hidden = (~real)[:, None, :].expand(-1, lq, -1)
        if lq == lk and bool((hidden & real[:, :, None]).any()):
            hidden = hidden & real[:, :, None]  # the real queries' view tells the story
        outcome = lab.run(Leak(side, hidden, "padded"))
        if outcome.confirmed is not None:
            return outcome
    return Outcome(None, [f"no side of the call has {real.shape[1]} keys, the padded length"])


def _real_keys(m) -> Optional[torch.Tensor]:
    """bool (N, S), True at the real keys of an (N, S) padding mask of either polarity or an
    additive one; None when its layout does not tell (see ``_one_reading``)."""
    if not isinstance(m, torch.Tensor) or m.dim() != 2:
        return None
    m = m.detach()
    if m.is_floating_point() and bool((m <= -validators.NEG_BLOCK).any()):
        if not bool(((m == 0) | (m <= -validators.NEG_BLOCK)).all()):
            return None
        return _one_reading([(m == 0).cpu()])  # additive: 0 is kept whatever else the code meant
    if m.dtype == torch.bool or bool(((m == 0) | (m == 1)).all()):
        return _one_reading([(m != 0).cpu(), (m == 0).cpu()])
    return None


def _real_rows(x) -> Optional[torch.Tensor]:
    """bool (N, S), True at the real positions of a padded batch: token ids (N, S), padded with one
    id, or features (N, S, F), padded with zero vectors (``pad_sequence``)."""
    if not isinstance(x, torch.Tensor) or x.dim() not in (2, 3) or x.shape[0] < 2:
        return None
    x = x.detach().cpu()
    if x.dim() == 3:
        return _one_reading([(x != 0).any(-1)])
    if x.is_floating_point() or x.dtype == torch.bool:
        return None
    # the pad id is a value at an end of some row; a real token there can fit the layout too (a
    # run of one), so of the ids that fit, the one that pads the most cells is the pad id
    fits = [r for r in (_one_reading([x != v]) for v in torch.cat([x[:, 0], x[:, -1]]).unique().tolist()[:16])
            if r is not None]
    counts = sorted((int((~r).sum()), i) for i, r in enumerate(fits))
    if not counts or len(counts) > 1 and counts[-1][0] == counts[-2][0]:
        return None
    return fits[counts[-1][1]]


def _one_reading(readings) -> Optional[torch.Tensor]:
    """The one reading (bool (N, S), True at real positions) in which each sample's real positions
    are one run at an end of its row, every sample has some, and some sample, not all, is unpadded:
    the layout of padding.  None when no reading, or more than one, fits."""
    fits = [keep for keep in readings
            if bool(keep.any(-1).all()) and bool(keep.all(-1).any()) and not bool(keep.all())
            and all(validators._run_at_an_end(row) for row in keep)]
    return fits[0] if len(fits) == 1 else None


def _about_padding(d) -> bool:
    """Is a static finding about a padding mask (its polarity or its slot)?  Its picture says so,
    else its message (``True at padding`` / ``at real tokens``)."""
    text = f"{d.message} {getattr(d, 'picture', '') or ''}"
    return "padding" in text or "real tokens" in text


def _self_loops(d) -> bool:
    """Did the linter see the mask built with the identity in it (`adj | torch.eye(n)`): a keep set
    that holds each position itself?"""
    for e in getattr(d, "evidence", None) or ():
        line = linecache.getline(e.get("path") or d.path, e.get("line") or 0) if e.get("line") else ""
        if "eye" in (e.get("text") or "") or "eye(" in line:
            return True
    return False


def _generic_experiment(call: Call, lab: Lab, code: str, padding: bool = False, self_loops: bool = False) -> Outcome:
    """For a static finding the runtime checks did not reproduce: does any self-attention side of
    the call let a query see a future key?  Only for causal findings: a finding about a padding
    mask is not confirmed by a future leak (that would describe a padding bug as a causal one);
    the padding checks of the runtime (ML601, ML602) confirm those."""
    from masklint.runtime.experiments import Leak

    if code == "ML405":  # the runtime's own check reports the calls with fewer queries than keys
        if all(lq >= lk for lq, lk in call.lengths.values()):
            return Outcome(False, ["as many queries as keys at this call: top-left and bottom-right alignment "
                                   "coincide"])
        return Outcome(None, [])
    if code == "ML501" and "tgt" in call.lengths and call.get("tgt_mask") is None:
        # a mask meant for the decoder landed in another slot: with tgt_mask empty, does a target
        # position see a later one?
        lq, lk = call.lengths["tgt"]
        if lq == lk and lq >= 2:
            return lab.run(Leak("tgt", torch.ones(lq, lk, dtype=torch.bool).triu(1)[None], "future"))
    if code == "ML301":
        return _samples_as_heads(call)
    if code not in ("ML101", "ML102", "ML103", "ML401", "ML402", "ML404"):
        return Outcome(None, [])
    if code in ("ML101", "ML102", "ML103") and self_loops:
        own = _own_keys_hidden(call)
        if own is not None:
            return own
    if padding:
        if code == "ML101":
            return _inverted_key_padding(call, lab)
        return Outcome(None, ["a padding-mask finding: the runtime's padding checks did not reproduce it on "
                              "these inputs (no sample had padding, or the padded keys were attended as the "
                              "mask says)"])
    outcomes = []
    for side, (lq, lk) in call.lengths.items():
        if lq != lk or lq < 2 or side == "memory":
            continue
        # ML401: the linter found this self-attention should be causal; otherwise the mask or
        # flag on the call says so
        if code != "ML401" and not _has_causal_intent(call, side):
            continue
        future = torch.ones(lq, lk, dtype=torch.bool).triu(1)[None]
        outcome = lab.run(Leak(side, future, "future"))
        if outcome.confirmed:
            return outcome
        outcomes.append(outcome)
    if not outcomes:
        return Outcome(None, ["no causal mask or flag on this call to test"])
    return Outcome(False if all(o.confirmed is False for o in outcomes) else None,
                   [line for o in outcomes for line in o.evidence])


def _samples_as_heads(call: Call) -> Outcome:
    """The linter read a 3-D mask into SDPA as per sample, (N, L, S); SDPA broadcasts a 3-D mask
    as (1, N, L, S), so it runs only when N equals the number of heads, and then head i of every
    sample is masked with sample i's mask.  Shown by the shapes, and by samples whose masks differ."""
    if call.api.layout is not C.Layout.HEADS or call.query.dim() != 4:
        return Outcome(None, [])
    n, h = call.query.shape[0], call.query.shape[1]
    for p, m in call.masks():
        if p.role is not C.Role.ATTN or not isinstance(m, torch.Tensor) or m.dim() != 3:
            continue
        if m.shape[0] == n == h and n > 1 and not bool((m == m[:1]).all()):
            return Outcome(True, [f"{p.name} is {tuple(m.shape)}: {call.api.display} broadcasts a 3-D mask as "
                                  f"(1, {n}, L, S), so with {n} samples and {h} heads head i of every sample uses "
                                  "sample i's mask (the samples' masks differ)"])
    return Outcome(None, [])


def _own_keys_hidden(call: Call) -> Optional[Outcome]:
    """A polarity finding on a mask the linter saw built with its self-loops (a graph's adjacency
    plus the identity) that, as the API reads it, hides every query's own key and leaves others:
    the keep set passed where the API reads the other polarity.  (Not for masks built without
    the identity: neighbour-only and leave-one-out attention hide each position from itself by
    design.)"""
    for p, m in call.masks():
        if p.role is not C.Role.ATTN or not isinstance(m, torch.Tensor):
            continue
        lq, lk = call.lengths.get(call.side_of(p), (0, 0))
        if lq != lk or lq < 2 or call.side_of(p) == "memory":
            continue
        m4 = validators.to4d(call, p, m)
        if m4 is None or m4.numel() > validators.MAX_CELLS:
            continue
        keep = validators.keep_of(validators.additive(call, p, m4)).expand(-1, -1, lq, lk)
        if bool(keep.diagonal(dim1=-2, dim2=-1).any()) or not bool(keep.any(-1).all()):
            continue
        return Outcome(True, [f"{p.name} as {call.api.display} reads it hides every query's own key and lets "
                              "each query attend elsewhere: the positions it was built to allow are hidden",
                              report.picture(keep[0, 0], f"{p.name} of sample 0 as read (. = attended)")])
    return None


def _inverted_key_padding(call: Call, lab: Lab) -> Outcome:
    """The linter found a keep mask (True at real tokens) in a key padding slot, which blocks where
    True.  On right-padded data such a mask is True from key 0 in every sample (a run, or the rows of
    an image's box of real pixels, flattened):
    the API then blocks each sample's first keys (its real tokens) and attends only to the run at
    the end (its padding).  When the real tensor has that shape, perturb those attended keys: if
    the queries move, the padding is seen.  (A correct left-padding mask is True on a run from key
    0 too, which is why only the linter's finding, not this shape alone, asks the question.)"""
    from masklint.runtime.experiments import Leak

    for p, m in call.masks():
        if p.role is not C.Role.KEY_PADDING or not isinstance(m, torch.Tensor) or m.dtype != torch.bool:
            continue
        if m.dim() != 2 or not bool(m[:, 0].all()) or bool(m.all(-1).any()):
            continue  # not True from key 0 in every sample, or a sample blocked whole (ML602's case)
        if not all(validators._run_at_an_end(row) or _top_left_box(row) for row in m):
            continue  # neither a run from key 0 (right-padded sequences) nor a flattened image's box
        side = call.side_of(p)
        lq = call.lengths.get(side, (0, 0))[0]
        if not lq:
            continue
        attended = ~m  # what the API attends: the end of each sample, its padding under right padding
        return _because(lab.run(Leak(side, attended[:, None, :].expand(-1, lq, -1), "padded")),
                        f"{p.name} is True at key 0 in every sample (the first token or pixel, never padding), so "
                        f"{call.api.display} attends only to the keys it leaves False:")
    return Outcome(None, ["no key padding mask with a right-padding shape on this call"])


def _top_left_box(row: torch.Tensor) -> bool:
    """Is this flattened (H, W) row True exactly on a box at the top left, ``[:h, :w]`` with
    ``w < W``, for some width W that divides its length (an image's real pixels on a padded
    canvas)?"""
    n = row.numel()
    if n < 4 or not bool(row[0]):
        return False
    for width in range(2, n):
        if n % width:
            continue
        grid = row.reshape(n // width, width)
        h, w = int(grid.any(1).sum()), int(grid[0].sum())
        if 0 < w < width and bool(grid[:h, :w].all()) and int(grid.sum()) == h * w:
            return True
    return False


def _has_causal_intent(call: Call, side: str) -> bool:
    """A mask on ``side`` that is triangular either way, or a causal flag for it."""
    for p, m in call.masks():
        if call.side_of(p) != side or p.role.value == "key_padding" or not isinstance(m, torch.Tensor):
            continue
        m4 = validators.to4d(call, p, m)
        if m4 is None or validators.dtype_kind(m) == "int":
            continue
        keep = validators.keep_of(validators.additive(call, p, m4))
        tri = torch.ones(keep.shape[-2:], dtype=torch.bool, device=keep.device)
        if not (keep & ~tri.tril()).any() or not (keep & ~tri.triu()).any():
            return True  # lower- or upper-triangular: meant to be causal, one way or the other
    for f in call.api.causal_flags:
        p = call.api.param(f.applies_to)
        if p is not None and call.side_of(p) == side and call.get(f.name) is True:
            return True
    return False
