"""Receipt key-value extraction with interchangeable attention back-ends."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_kernel_fn(q, k, v, keep):
    return F.scaled_dot_product_attention(q, k, v, attn_mask=keep[:, None, None, :])


def math_kernel_fn(q, k, v, keep):
    w = (q @ k.transpose(-1, -2)) / math.sqrt(q.size(-1))
    w = w.masked_fill(~keep[:, None, None, :], torch.finfo(w.dtype).min)
    return w.softmax(-1) @ v


def mha_kernel_fn(q, k, v, keep):
    B, H, N, Dh = q.shape
    scores = torch.einsum("bhnd,bhmd->bhnm", q, k) / math.sqrt(Dh)
    bias = torch.zeros(B, 1, 1, N, dtype=scores.dtype).masked_fill(keep.logical_not()[:, None, None, :], float("-inf"))
    return torch.einsum("bhnm,bhmd->bhnd", (scores + bias).softmax(-1), v)


ATTENTION_KERNELS = {"sdpa": sdpa_kernel_fn, "math": math_kernel_fn, "einsum": mha_kernel_fn}


class ReceiptLayer(nn.Module):
    def __init__(self, d, heads, kernel):
        super().__init__()
        self.heads = heads
        self.attend = ATTENTION_KERNELS[kernel]
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)

    def forward(self, x, keep):
        B, N, D = x.shape
        q, k, v = self.qkv(self.norm(x)).view(B, N, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return x + self.out(self.attend(q, k, v, keep).transpose(1, 2).reshape(B, N, D))


class ReceiptTagger(nn.Module):
    def __init__(self, vocab=700, d=32, heads=4, kernel="sdpa", pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d)
        self.box = nn.Linear(4, d)
        self.layers = nn.ModuleList(ReceiptLayer(d, heads, kernel) for _ in range(2))
        self.cls = nn.Linear(d, 5)

    def forward(self, ids, boxes):
        keep = ids != self.pad_id
        x = self.emb(ids) + self.box(boxes)
        for layer in self.layers:
            x = layer(x, keep)
        return self.cls(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    ids = torch.randint(1, 700, (2, 10))
    ids[1, 6:] = 0
    boxes = torch.rand(2, 10, 4)
    ref = ReceiptTagger(kernel="sdpa")
    outs = []
    for name in ATTENTION_KERNELS:
        m = ReceiptTagger(kernel=name)
        m.load_state_dict(ref.state_dict())
        outs.append(m(ids, boxes)[ids != 0])
    print("kernels agree", all(torch.allclose(outs[0], o, atol=1e-5) for o in outs[1:]))
