"""Dense-retrieval bi-encoder written functionally over a flat parameter dict (for vmap/functional_call)."""
import math

import torch
import torch.nn.functional as F


def init_params(vocab=20000, dim=128, heads=4, layers=2, seed=0):
    g = torch.Generator().manual_seed(seed)
    p = {"emb": torch.randn(vocab, dim, generator=g) * 0.02, "heads": heads, "layers": layers}
    for i in range(layers):
        p[f"l{i}.qkv"] = torch.randn(3 * dim, dim, generator=g) / math.sqrt(dim)
        p[f"l{i}.o"] = torch.randn(dim, dim, generator=g) / math.sqrt(dim)
        p[f"l{i}.ff1"] = torch.randn(4 * dim, dim, generator=g) / math.sqrt(dim)
        p[f"l{i}.ff2"] = torch.randn(dim, 4 * dim, generator=g) / math.sqrt(4 * dim)
    return p


def block(p, i, x, heads):
    b, n, d = x.shape
    h = F.layer_norm(x, (d,))
    q, k, v = F.linear(h, p[f"l{i}.qkv"]).view(b, n, 3, heads, d // heads).permute(2, 0, 3, 1, 4)
    a = F.scaled_dot_product_attention(q, k, v)
    x = x + F.linear(a.transpose(1, 2).reshape(b, n, d), p[f"l{i}.o"])
    return x + F.linear(F.gelu(F.linear(F.layer_norm(x, (d,)), p[f"l{i}.ff1"])), p[f"l{i}.ff2"])


def encode(p, input_ids, attention_mask):
    x = p["emb"][input_ids]
    for i in range(p["layers"]):
        x = block(p, i, x, p["heads"])  # expect: ML505
    m = attention_mask.unsqueeze(-1).to(x.dtype)
    return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)


def in_batch_contrastive_loss(p, q_ids, q_mask, d_ids, d_mask, tau=0.05):
    sims = encode(p, q_ids, q_mask) @ encode(p, d_ids, d_mask).T / tau
    return F.cross_entropy(sims, torch.arange(sims.size(0)))


if __name__ == "__main__":
    params = init_params()
    q = torch.randint(1, 20000, (4, 16)); qm = torch.ones_like(q); qm[:, 10:] = 0
    d = torch.randint(1, 20000, (4, 64)); dm = torch.ones_like(d); dm[2:, 40:] = 0
    print(in_batch_contrastive_loss(params, q, qm, d, dm).item())
