"""Attention-probe utilities: run a causal MHA and return the weights for plotting."""
import torch
import torch.nn as nn


def causal_attention_with_weights(mha: nn.MultiheadAttention, x: torch.Tensor):
    L = x.shape[1]
    mask = torch.triu(torch.ones(L, L, dtype=torch.bool, device=x.device), diagonal=1)
    out, weights = mha(x, x, x, attn_mask=mask, is_causal=True, need_weights=True,  # BUG
                       average_attn_weights=False)
    return out, weights


def causal_attention_fast(mha: nn.MultiheadAttention, x: torch.Tensor):
    L = x.shape[1]
    mask = torch.triu(torch.ones(L, L, dtype=torch.bool, device=x.device), diagonal=1)
    return mha(x, x, x, attn_mask=mask, need_weights=False)[0]


def attention_entropy(weights: torch.Tensor):
    p = weights.clamp_min(1e-12)
    return -(p * p.log()).sum(-1).mean(dim=(0, 2))


def probe_layers(layers, x, fn=causal_attention_with_weights):
    stats = []
    for mha in layers:
        x, w = fn(mha, x)
        stats.append({"entropy": attention_entropy(w), "max_future": w.triu(1).amax().item()})
    return x, stats


def summarize(stats):
    lines = []
    for i, s in enumerate(stats):
        ent = ", ".join(f"{e:.2f}" for e in s["entropy"].tolist())
        lines.append(f"layer {i}: entropy per head [{ent}] max future weight {s['max_future']:.3f}")
    return "\n".join(lines)


if __name__ == "__main__":
    torch.manual_seed(0)
    layers = [nn.MultiheadAttention(16, 4, batch_first=True) for _ in range(2)]
    x = torch.randn(2, 6, 16)
    _, stats = probe_layers(layers, x)
    print(summarize(stats))
    print("future weight:", max(s["max_future"] for s in stats))
