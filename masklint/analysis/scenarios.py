"""A call whose flag is a mask's None-ness (``f(q, k, v, mask, is_causal=mask is None)``) runs
its callee twice more: once as if the mask were given (the flag False), once as if it were not
(the mask None, the flag True).  What the attention calls receive in each case goes to the
rules' ``on_flag`` hook: a callee that is causal only when no mask is given drops causality for
every padded batch (transformers PR#41966)."""
from __future__ import annotations

from masklint.analysis.events import FlagScenarioEvent
from masklint.analysis.values import Const, NoneFlag


def run_flag_scenarios(interp, fn, call, env, frame, self_obj) -> None:
    if id(fn.node) in interp.in_progress:
        return
    for flag_name, flag in list(env.items()):
        if not isinstance(flag, NoneFlag):
            continue
        held = [n for n, v in env.items() if v is flag.subject]
        if not held:
            continue  # the mask the flag tests is not passed along with it
        given = dict(env, **{flag_name: Const(False)})
        absent = dict(env, **{flag_name: Const(True)}, **{n: Const(None) for n in held})
        records = []
        interp.in_progress.add(id(fn.node))
        try:
            for scenario in (given, absent):
                sub = interp.run_function(fn, scenario, self_obj, concrete=True)
                records.append(sub.sinks)
        finally:
            interp.in_progress.discard(id(fn.node))
        ev = FlagScenarioEvent(call, frame.module, fn, flag_name, held[0], flag.subject, records[0], records[1])
        for rule in interp.rules:
            for f in rule.on_flag(ev) or ():
                frame.findings.append(f)
