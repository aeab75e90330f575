"""Mixtral-flavoured sparse MoE decoder LM: every block has multi-head
self-attention followed by a top-2 routed mixture of SwiGLU experts with a
load-balancing auxiliary loss.  Trained with next-token prediction on right
padded packed-free batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class SwiGLUExpert(nn.Module):
    def __init__(self, d, hidden):
        super().__init__()
        self.w1, self.w3, self.w2 = nn.Linear(d, hidden, bias=False), nn.Linear(d, hidden, bias=False), nn.Linear(hidden, d, bias=False)

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Top2MoE(nn.Module):
    def __init__(self, d, n_experts=4, hidden=128):
        super().__init__()
        self.gate = nn.Linear(d, n_experts, bias=False)
        self.experts = nn.ModuleList(SwiGLUExpert(d, hidden) for _ in range(n_experts))

    def forward(self, x):
        B, L, D = x.shape
        flat = x.reshape(-1, D)
        probs = self.gate(flat).softmax(-1)
        w, idx = probs.topk(2, dim=-1)
        w = w / w.sum(-1, keepdim=True)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            rows, slot = (idx == e).nonzero(as_tuple=True)
            if rows.numel():
                out.index_add_(0, rows, expert(flat[rows]) * w[rows, slot, None])
        frac = F.one_hot(idx[:, 0], len(self.experts)).float().mean(0)
        aux = len(self.experts) * (frac * probs.mean(0)).sum()
        return out.view(B, L, D), aux


class MoEBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.n1, self.n2 = nn.RMSNorm(d), nn.RMSNorm(d)
        self.attn = nn.MultiheadAttention(d, h, bias=False, batch_first=True)
        self.moe = Top2MoE(d)

    def forward(self, x, pad):
        h = self.n1(x)
        a, _ = self.attn(  # expect: ML401
            h, h, h,
            key_padding_mask=pad,
            need_weights=False,
        )
        x = x + a
        m, aux = self.moe(self.n2(x))
        return x + m, aux


class MoELM(nn.Module):
    def __init__(self, vocab=300, d=64, h=4, n=2, ctx=128, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(MoEBlock(d, h) for _ in range(n))
        self.norm = nn.RMSNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, aux_coef=0.01):
        pad = ids.eq(self.pad_id)
        x = self.tok(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))
        aux_total = 0.0
        for blk in self.blocks:
            x, aux = blk(x, pad)
            aux_total = aux_total + aux
        logits = self.lm_head(self.norm(x))
        ce = F.cross_entropy(logits[:, :-1].flatten(0, 1), ids[:, 1:].flatten(), ignore_index=self.pad_id)
        return logits, ce + aux_coef * aux_total


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = MoELM().eval()
    ids = torch.randint(1, 300, (2, 14))
    ids[1, 10:] = 0
    with torch.no_grad():
        logits, loss = lm(ids)
        ids2 = ids.clone()
        ids2[0, 8:] = 1
        logits2, _ = lm(ids2)
    leak = (logits[0, :8] - logits2[0, :8]).abs().max().item()
    print("loss", loss.item(), "| logits at t < 8 change when tokens t >= 8 change:", leak)
    assert leak > 1e-4
    print("FAILURE SHOWN: next-token training without a causal mask")
