"""Mask pictures, and the cost controls (sampling across dynamic shapes)."""
from __future__ import annotations

import torch
import torch.nn.functional as F

import masklint
from masklint.runtime import report, validators
from rt_helpers import H, N


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
