"""Radiology report classifier with a selectable attention implementation."""
import torch
import torch.nn.functional as F
from torch import nn


def _sdpa(q, k, v, real):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=real[:, None, None, :])


def _eager(q, k, v, real):
    scores = q @ k.transpose(-1, -2) / q.size(-1) ** 0.5
    scores = scores.masked_fill(~real[:, None, None, :], float("-inf"))
    return scores.softmax(-1) @ v


def _torch_mha(q, k, v, real):
    b, h, n, d = q.shape
    flat = lambda t: t.transpose(1, 2).reshape(b, n, h * d)
    out = F.multi_head_attention_forward(
        flat(q).transpose(0, 1), flat(k).transpose(0, 1), flat(v).transpose(0, 1), h * d, h,
        None, None, None, None, False, 0.0, torch.eye(h * d), torch.zeros(h * d),
        use_separate_proj_weight=True, q_proj_weight=torch.eye(h * d), k_proj_weight=torch.eye(h * d),
        v_proj_weight=torch.eye(h * d), key_padding_mask=~real, need_weights=False)[0]
    return out.transpose(0, 1).view(b, n, h, d).transpose(1, 2)


ATTENTION = {"sdpa": _sdpa, "eager": _eager, "mha": _torch_mha}


class ReportClassifier(nn.Module):
    def __init__(self, vocab=12000, dim=64, heads=4, n_findings=14, impl="sdpa"):
        super().__init__()
        self.heads, self.impl = heads, impl
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)
        self.head = nn.Linear(dim, n_findings)

    def forward(self, ids):
        b, n = ids.shape
        real = ids != 0
        x = self.emb(ids)
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        y = ATTENTION[self.impl](q, k, v, real)
        x = x + self.o(y.transpose(1, 2).reshape(b, n, -1))
        w = real.unsqueeze(-1).float()
        return self.head((x * w).sum(1) / w.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 12000, (3, 20))
    ids[1, 12:] = 0
    model = ReportClassifier()
    for impl in ATTENTION:
        model.impl = impl
        print(impl, torch.sigmoid(model(ids))[1, :3])
