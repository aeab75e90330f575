"""The public API: modes, sessions, MASKLINT_DISABLE, sampling, Finding, static confirmation."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import warnings

import pytest
import torch
import torch.nn.functional as F
from torch import nn

import masklint
from masklint.runtime import MaskLintError, MaskLintWarning, Session
from rt_helpers import E, H, L, N, codes

BLOCK = torch.triu(torch.ones(L, L, dtype=torch.bool), 1)  # MHA convention: wrong for SDPA
KEEP = ~BLOCK


def qkv():
    return tuple(torch.randn(N, H, L, E) for _ in range(3))


def sdpa_bug(q, k, v):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=BLOCK)  # the call site


def test_lazy_exports_and_finding_fields():
    assert masklint.instrument is masklint.runtime.instrument and issubclass(MaskLintWarning, UserWarning)
    with masklint.instrument(mode="collect") as s:
        sdpa_bug(*qkv())
    (f,) = s.findings
    d = f.to_dict()
    assert json.loads(json.dumps(d)) == d
    assert (d["code"], d["name"], d["confirmed"], d["path"]) == ("ML102", "block-mask-to-keep-api", True, __file__)
    assert "attn_mask=BLOCK" in open(__file__).read().splitlines()[d["line"] - 1]
    assert "query 0 saw future key" in d["evidence"]
    assert "ML102 [confirmed]" in s.report() and "1 confirmed" in s.report()


def test_call_form_and_uninstrument():
    session = masklint.instrument(mode="collect")
    assert isinstance(session, Session) and session.open
    sdpa_bug(*qkv())
    masklint.uninstrument()
    sdpa_bug(*qkv())  # not checked any more
    assert codes(session) == ["ML102"] and len(session.findings) == 1 and not session.open


def test_warn_mode_warns_once_per_call_site_and_code():
    q, k, v = qkv()
    with warnings.catch_warnings(record=True) as caught, masklint.instrument() as s:
        warnings.simplefilter("always")
        for _ in range(3):
            sdpa_bug(q, k, v)
    ours = [w for w in caught if issubclass(w.category, MaskLintWarning)]
    assert len(ours) == 1 and len(s.findings) == 1
    assert ours[0].filename == __file__ and "ML102" in str(ours[0].message)


def test_raise_mode_raises_before_the_call_and_only_when_confirmed():
    q, k, v = qkv()
    with masklint.instrument(mode="raise"):
        F.scaled_dot_product_attention(q, k, v, attn_mask=KEEP)  # correct: no error
        with pytest.raises(MaskLintError) as info:
            sdpa_bug(q, k, v)
    assert info.value.finding.code == "ML102" and info.value.finding.confirmed


def test_masklint_disable_turns_everything_off(monkeypatch):
    monkeypatch.setenv("MASKLINT_DISABLE", "1")
    with masklint.instrument(mode="raise") as s:
        assert F.scaled_dot_product_attention is torch._C._nn.scaled_dot_product_attention
        sdpa_bug(*qkv())
    assert s.disabled and s.findings == []


def test_nested_sessions_share_findings_and_patches():
    from masklint.runtime import patching

    with masklint.instrument(mode="collect") as outer:
        with masklint.instrument(mode="collect") as inner:
            sdpa_bug(*qkv())
        assert patching.installed()  # the outer session still needs them
    assert not patching.installed()
    assert codes(inner) == codes(outer) == ["ML102"]


def test_sampling_rechecks_content_every_nth_call():
    q, k, v = qkv()
    anti = KEEP.T.contiguous()  # True on and above the diagonal: every query keeps a key (itself)

    def loop(masks, session_kw):
        with masklint.instrument(mode="collect", **session_kw) as s:
            for m in masks:
                F.scaled_dot_product_attention(q, k, v, attn_mask=m)
        return s

    # a bug that leaves every query a key is found by the sampled content checks only (the
    # linter's own finding on this test's loop, re-checked at the call, is not what is measured)
    runtime = lambda s: [f for f in s.findings if f.source != "static"]  # noqa: E731
    assert runtime(loop([KEEP, anti, anti], {"sample_every": 0})) == []  # first call per site and shape
    assert codes(loop([KEEP, anti, anti], {"sample_every": 2})) == ["ML102"]  # calls 0 and 2 are checked
    # one that leaves a query no key trips the every-call check, sampled or not
    assert codes(loop([KEEP, BLOCK, KEEP], {"sample_every": 0})) == ["ML102"]


def test_suppression_comments_silence_the_call_site():
    q, k, v = qkv()
    with masklint.instrument(mode="collect") as s:
        F.scaled_dot_product_attention(q, k, v, attn_mask=BLOCK)  # masklint: ignore[ML102]
        F.scaled_dot_product_attention(q, k,
                                       v, attn_mask=BLOCK)  # noqa: ML102 (any line of the call)
        F.scaled_dot_product_attention(q, k, v, attn_mask=BLOCK)  # masklint: ignore[ML101]
    assert [(f.code, f.line) for f in s.findings] == [("ML102", _line_of("ignore[ML101]"))]


def _line_of(text):
    return next(i for i, line in enumerate(open(__file__).read().splitlines(), 1)
                if text in line and "attn_mask=BLOCK" in line)


# --- static findings at a call site are confirmed or refuted ---------------------------------------
def test_static_finding_confirmed_by_the_runtime(fake_engine):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(N, L, E)
    with masklint.instrument(mode="collect") as s:
        mha(x, x, x, attn_mask=KEEP)  # bug_ML101
    (f,) = s.findings
    assert (f.code, f.confirmed, f.source) == ("ML101", True, "static+runtime")
    assert "the linter reported it too" in f.evidence and fake_engine == [__file__]


def test_static_finding_refuted_by_the_experiment(fake_engine):
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(N, L, E)
    with warnings.catch_warnings(record=True) as caught, masklint.instrument() as s:
        warnings.simplefilter("always")
        mha(x, x, x,
            attn_mask=BLOCK)  # bug_ML101 (on the call's second line: the span counts)
        mha(x, x, x, key_padding_mask=None)  # bug_ML502: nothing to test at runtime
    refuted, untested = s.findings
    assert (refuted.code, refuted.source, refuted.confirmed, refuted.refuted) == ("ML101", "static", False, True)
    assert "no query that must not see them moved" in refuted.evidence
    assert (untested.code, untested.confirmed, untested.refuted) == ("ML502", False, False)
    assert [str(w.message).split()[1] for w in caught if w.category is MaskLintWarning] == ["ML502"]


def test_a_crashing_linter_leaves_the_runtime_checks(monkeypatch):
    from masklint import engine

    def boom(source, path, project=None):
        raise RecursionError("deep")

    monkeypatch.setattr(engine, "check_source", boom)
    with masklint.instrument(mode="collect") as s:
        sdpa_bug(*qkv())
    assert codes(s) == ["ML102"] and any("RecursionError" in n for n in s.notes)


def test_real_engine_end_to_end(tmp_path):
    script = tmp_path / "model_code.py"
    script.write_text(textwrap.dedent("""
        import torch
        import torch.nn as nn

        def run(L=6):
            mha = nn.MultiheadAttention(8, 2, batch_first=True)
            x = torch.randn(2, L, 8)
            return mha(x, x, x, attn_mask=torch.tril(torch.ones(L, L, dtype=torch.bool)))
    """))
    import runpy

    namespace = runpy.run_path(str(script))
    with masklint.instrument(mode="collect") as s:
        namespace["run"]()
    (f,) = s.findings
    assert (f.code, f.source, f.confirmed, f.path) == ("ML101", "static+runtime", True, str(script))


def test_plugin_and_package_import_without_torch():
    code = ("import sys; sys.modules['torch'] = None\n"
            "import masklint, masklint.runtime, masklint.runtime.pytest_plugin\n"
            "print(masklint.runtime.instrument.__name__)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "instrument"


def test_a_site_is_checked_again_under_autocast():
    """The sampling key includes autocast: a site checked in fp32 is checked again in bf16."""
    from masklint.runtime import checker

    plain = checker._signature((torch.ones(2, 3),), {})
    with torch.autocast("cpu", dtype=torch.bfloat16):
        autocast = checker._signature((torch.ones(2, 3),), {})
    assert plain != autocast
