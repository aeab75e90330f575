"""Distributed runs: two CPU ranks with gloo under torchrun, each bounded by a timeout.

One report names the ranks a finding occurred on; masklint never turns a job that succeeded
into a failed one (no torchrun ChildFailedError); `masklint report DIR` merges rank files."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

import torch.distributed as dist

pytestmark = pytest.mark.skipif(not dist.is_available() or not dist.is_gloo_available(), reason="no gloo backend")

TRAIN = textwrap.dedent("""
    import os
    import torch
    import torch.distributed as dist
    import torch.nn as nn

    dist.init_process_group("gloo")
    rank = dist.get_rank()
    torch.manual_seed(0)


    class Model(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.MultiheadAttention(16, 2, batch_first=True)
            self.head = nn.Linear(16, 4)

        def forward(self, x, pad):
            return self.head(self.attn(x, x, x, key_padding_mask=pad)[0].mean(1))


    model = nn.parallel.DistributedDataParallel(Model())
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    x = torch.randn(2, 6, 16)
    pad = torch.zeros(2, 6, dtype=torch.bool)
    if rank == 1 and os.environ.get("BUG") == "1":
        pad[1] = True  # a sample fully padded on rank 1 only: its queries attend to nothing
    for step in range(2):
        loss = model(x, pad).nan_to_num().sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(f"rank {rank} done")
    dist.destroy_process_group()
""")


def run(args, tmp_path, bug, timeout=180):
    (tmp_path / "train.py").write_text(TRAIN)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MASKLINT", "RANK", "WORLD_SIZE"))}
    env.update(BUG="1" if bug else "0", OMP_NUM_THREADS="1")
    return subprocess.run(args, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=timeout)


def test_nproc_per_node_prints_one_report_naming_the_rank(tmp_path):
    r = run([sys.executable, "-m", "masklint", "run", "--nproc-per-node", "2", "--report-file", "merged.json",
             "train.py"], tmp_path, bug=True)
    out = r.stdout + r.stderr
    assert r.returncode == 1, out  # as a single-process `masklint run` with a confirmed finding
    assert "rank 0 done" in out and "rank 1 done" in out
    assert out.count("masklint runtime:") == 1 and "1 confirmed across 2 rank(s)" in out
    assert "ML602 [confirmed] (on rank 1 only)" in out
    assert "ChildFailedError" not in out and "Traceback" not in out
    assert "Hugging Face" not in out  # the other sample keeps every key: not an uninverted HF mask
    (finding,) = json.loads((tmp_path / "merged.json").read_text())["findings"]
    assert finding["ranks"] == [1]


def test_nproc_per_node_clean_job_exits_0(tmp_path):
    r = run([sys.executable, "-m", "masklint", "run", "--nproc-per-node", "2", "train.py"], tmp_path, bug=False)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "0 finding(s), 0 confirmed across 2 rank(s)" in r.stderr


def test_plain_torchrun_keeps_the_program_status_and_rank_0_prints_the_merged_report(tmp_path):
    r = run([sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc-per-node", "2",
             "-m", "masklint", "run", "train.py"], tmp_path, bug=True)
    out = r.stdout + r.stderr
    assert r.returncode == 0, out  # the program succeeded: a finding does not fail the job
    assert "ChildFailedError" not in out and "Traceback" not in out
    assert out.count("masklint runtime:") == 1 and "ML602 [confirmed] (on rank 1 only)" in out
    assert "masklint run (rank 1): 1 finding(s) written to" in out
    files = sorted((tmp_path / ".masklint_reports").rglob("rank-*.json"))
    assert [f.name for f in files] == ["rank-0.json", "rank-1.json"]

    merged = subprocess.run([sys.executable, "-m", "masklint", "report", str(tmp_path / ".masklint_reports")],
                            capture_output=True, text=True, timeout=60)
    assert merged.returncode == 1 and "(on rank 1 only)" in merged.stdout
    assert "1 confirmed across 2 rank(s)" in merged.stdout


def test_mode_raise_on_one_rank_does_not_hang_the_other(tmp_path):
    """Rank 1 raises MaskLintError at the bug and exits 1; rank 0 waits in DDP's gradient all-reduce,
    and torchrun's agent, seeing rank 1 fail, stops it: the job ends (no timeout), failed, with
    rank 1's finding reported.  masklint itself issues no collective."""
    r = run([sys.executable, "-m", "masklint", "run", "--mode", "raise", "--nproc-per-node", "2", "train.py"],
            tmp_path, bug=True, timeout=240)
    out = r.stdout + r.stderr
    assert r.returncode != 0
    assert "MaskLintError" in out and "ML602" in out
    assert "rank 1 done" not in out
