"""Mask pictures, and the cost controls (sampling across dynamic shapes)."""
from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

import masklint
from masklint.runtime import report, rows, validators
from rt_helpers import E, H, L, N
from torch import nn


def test_small_masks_are_drawn_rows_queries_cols_keys():
    keep = torch.ones(4, 5, dtype=torch.bool).tril()
    text = report.picture(keep, "causal", marks={(0, 3)})
    rows = text.splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["0", "1", "2", "3"]
    cells = [r.split()[1] for r in rows]
    assert cells[1] == "..###" and cells[3] == "....#"  # query i attends keys 0..i
    assert cells[0] == ".##X#"  # the proven-wrong cell
    assert text.splitlines()[0] == "causal:"


def test_the_legend_is_printed_once_per_report():
    keep = torch.ones(3, 3, dtype=torch.bool).tril()
    from masklint.runtime.findings import Finding

    findings = [Finding("ML602", "x", "msg", "a.py", line, True, evidence=report.picture(keep, "mask as read"))
                for line in (1, 2)]
    text = report.format_report(findings)
    assert text.count(report.LEGEND) == 1 and text.count("..#") == 2
    alone = findings[0].format()  # a single finding (mode="raise") explains its own picture
    assert alone.count(report.LEGEND) == 1
    assert report.LEGEND not in Finding("ML602", "x", "m", "a.py", 1, True, evidence="no picture").format()


def test_large_masks_get_a_summary_line():
    keep = torch.ones(64, 64, dtype=torch.bool).tril()
    text = report.picture(keep, "causal")
    assert "\n" not in text and "64x64" in text and "2080 of 4096" in text and "causal" in text


def test_dynamic_shapes_stop_costing_after_a_few_signatures(monkeypatch):
    calls = []
    real = validators.content
    monkeypatch.setattr(validators, "content", lambda call: calls.append(call) or real(call))
    with masklint.instrument(mode="collect", sample_every=0):
        for length in range(2, 22):  # 20 shapes at one call site
            q = torch.randn(N, H, length, 4)
            F.scaled_dot_product_attention(q, q, q, is_causal=True)
    assert len(calls) == 8  # checker.MAX_SIGNATURES_PER_SITE


# --- the every-call check: rare and rank-local data problems are not missed by sampling ---------
def _padded_batches():
    mha = nn.MultiheadAttention(E, H, batch_first=True)
    x = torch.randn(N, L, E)
    ok = torch.zeros(N, L, dtype=torch.bool)
    bad = ok.clone()
    bad[1] = True  # step 2: sample 1 fully padded, same shapes as step 1
    return mha, x, ok, bad


def test_a_fully_padded_sample_at_step_2_is_found_between_samples():
    mha, x, ok, bad = _padded_batches()
    with masklint.instrument(mode="collect", sample_every=64) as s:
        for pad in (ok, bad, ok, ok):  # one call site; step 2 has the same shapes as step 1
            mha(x, x, x, key_padding_mask=pad)
    assert [(f.code, f.confirmed) for f in s.findings] == [("ML602", True)]


def test_on_an_accelerator_the_flag_is_counted_on_the_device_and_read_at_the_next_sample(monkeypatch):
    """The CUDA path's logic, exercised on the CPU: no read per call, a count read when the site
    is next checked."""
    from masklint.runtime import checker

    monkeypatch.setattr(checker, "READ_NOW", ())
    mha, x, ok, bad = _padded_batches()
    seen = []
    with masklint.instrument(mode="collect", sample_every=4) as s:
        for pad in (ok, bad, bad, ok, ok):  # call 5 is the 4th of its signature after the 1st: sampled
            mha(x, x, x, key_padding_mask=pad)
            seen.append(len(s.findings))
    assert seen == [0, 0, 0, 0, 1]  # nothing read until the sampled call
    (f,) = s.findings
    assert f.code == "ML601" and f.message.startswith("2 call(s) at this site since its last sampled check")


def test_correct_padding_never_trips_the_every_call_check(monkeypatch):
    from masklint.runtime import checker

    mha, x, ok, _ = _padded_batches()
    some = ok.clone()
    some[0, -2:] = True  # right padding, never a whole sample
    analysed = []
    real = checker._analyse
    monkeypatch.setattr(checker, "_analyse", lambda *a: analysed.append(a[5]) or real(*a))  # a[5]: content
    with masklint.instrument(mode="collect", sample_every=64) as s:
        for _ in range(10):
            mha(x, x, x, key_padding_mask=some)  # one call site
    assert s.findings == [] and analysed == [True]  # only the first call was analysed


def _left_padded_causal_sdpa(dtype):
    q = torch.randn(2, H, L, E // H, dtype=dtype)
    keep = torch.ones(L, L, dtype=torch.bool).tril()[None, None] & torch.tensor(
        [[True] * L, [False, False] + [True] * (L - 2)])[:, None, None, :]  # sample 1 left padded
    return q, keep


@pytest.mark.parametrize("dtype, counted", [(torch.float32, 0), (torch.bfloat16, 3)])
def test_on_an_accelerator_padded_query_rows_count_in_half_precision_only(monkeypatch, dtype, counted):
    """Left padding under a causal mask leaves the pad queries no key: SDPA gives them 0 in float32
    and NaN on the fused GPU kernels in half precision, so only the latter trips the every-call
    count (the CUDA path's logic, exercised on the CPU)."""
    from masklint.runtime import checker

    monkeypatch.setattr(checker, "READ_NOW", ())
    q, keep = _left_padded_causal_sdpa(dtype)
    with masklint.instrument(mode="collect", sample_every=4) as s:
        for _ in range(5):  # one site: call 1 is sampled, calls 2-4 are counted, call 5 reads the count
            F.scaled_dot_product_attention(q, q, q, attn_mask=keep)
    every_call = [f for f in s.findings if "since its last sampled check" in f.message]
    assert [f.message.split()[0] for f in every_call] == ([str(counted)] if counted else [])


def test_padded_query_rows_off_the_cpu_in_float32_are_refuted_when_their_output_is_finite(monkeypatch):
    """Off the CPU, float32 padded query rows go to the experiment, which reports them only when
    the kernel made them NaN (here it runs on the CPU and gives 0: refuted, not shown)."""
    from masklint.runtime import validators

    q, keep = _left_padded_causal_sdpa(torch.float32)
    monkeypatch.setattr(rows, "ZERO_ROWS", ())
    with masklint.instrument(mode="collect") as s:
        F.scaled_dot_product_attention(q, q, q, attn_mask=keep)
    (f,) = s.findings
    assert f.code == "ML601" and f.refuted and "padded query row(s)" in f.message
    assert "get finite outputs on this path" in f.evidence
