"""Log-line language model for anomaly detection on packed server logs.

Many short log lines (templates from a log parser) are packed into one row.
FlexAttention gets a mask_mod that keeps each line to itself and to earlier
positions, and a score_mod that adds an ALiBi recency penalty per head.
Scoring is inference only (per-line negative log-likelihood).
"""
import warnings

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

N_TEMPLATES, BOS = 200, 0


def packed_rows(lines, row_len):
    ids, doc = [], []
    for d, line in enumerate(lines):
        ids += [BOS, *line]
        doc += [d] * (len(line) + 1)
    ids, doc = ids[:row_len], doc[:row_len]
    return torch.tensor(ids), torch.tensor(doc)


def line_causal(doc_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        same_line = doc_ids[b, q_idx] == doc_ids[b, kv_idx]
        later = kv_idx > q_idx
        return same_line & ~later
    return mask_mod


def alibi(slopes):
    def score_mod(score, b, h, q_idx, kv_idx):
        return score - slopes[h] * (q_idx - kv_idx)
    return score_mod


class LogLM(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(N_TEMPLATES, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.mlp = nn.ModuleList(nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 2 * dim), nn.GELU(),
                                               nn.Linear(2 * dim, dim)) for _ in range(depth))
        self.head = nn.Linear(dim, N_TEMPLATES)
        self.register_buffer("slopes", torch.tensor([2.0 ** (-8 * (i + 1) / heads) for i in range(heads)]))

    def forward(self, ids, doc):
        b, t = ids.shape
        block_mask = create_block_mask(line_causal(doc), b, None, t, t, device=ids.device)
        x = self.emb(ids)
        for qkv, mlp in zip(self.qkv, self.mlp):
            q, k, v = qkv(F.layer_norm(x, x.shape[-1:])).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
            y = flex_attention(q, k, v, score_mod=alibi(self.slopes), block_mask=block_mask)
            x = x + y.transpose(1, 2).reshape(b, t, -1)
            x = x + mlp(x)
        return self.head(x)


@torch.no_grad()
def line_scores(model, ids, doc):
    nll = F.cross_entropy(model(ids[:, :-1], doc[:, :-1]).transpose(1, 2), ids[:, 1:], reduction="none")
    inside = doc[:, 1:] == doc[:, :-1]
    return torch.zeros(int(doc.max()) + 1).index_add_(0, doc[0, 1:][inside[0]], nll[0][inside[0]])


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message=".*flex_attention called without torch.compile.*")
    torch.manual_seed(0)
    lines = [[12, 40, 41, 7], [12, 40, 41, 7], [99, 3, 150], [12, 40, 41, 8, 8]]
    ids, doc = packed_rows(lines, 20)
    model = LogLM().eval()
    print("per-line NLL", [round(v, 2) for v in line_scores(model, ids[None], doc[None]).tolist()])
