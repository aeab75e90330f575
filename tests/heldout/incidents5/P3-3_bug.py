"""Behaviour-sequence attention for CTR models (functional helpers shared by BST/DMIN-style nets)."""
import torch
import torch.nn as nn


def get_padding_mask(sequence, pad_id=0):
    # True marks padded history positions
    return sequence == pad_id


def build_self_attn_mask(padding_mask, num_heads, use_causal=False):
    B, L = padding_mask.shape
    mask = padding_mask.unsqueeze(1).repeat(1, L * num_heads, 1).view(-1, L, L)  # BUG
    if use_causal:
        causal = torch.triu(torch.ones(L, L, dtype=torch.bool, device=mask.device), 1)
        mask = mask | causal
    # never leave a row empty: every position may see itself
    mask = mask & ~torch.eye(L, dtype=torch.bool, device=mask.device)
    return mask


def multihead_self_attention(params, x, attn_mask, num_heads):
    head_dim = x.shape[-1] // num_heads
    q, k, v = params["W_q"](x), params["W_k"](x), params["W_v"](x)
    # split heads and stack them along the batch dimension: (H*B, L, d)
    q, k, v = (torch.cat(torch.split(t, head_dim, dim=2), dim=0) for t in (q, k, v))
    scores = torch.bmm(q, k.transpose(1, 2)) / head_dim ** 0.5
    scores = scores.masked_fill(attn_mask, -1e9)  # BUG
    out = torch.bmm(scores.softmax(dim=-1), v)
    out = torch.cat(torch.split(out, x.shape[0], dim=0), dim=-1)
    return params["norm"](x + params["W_o"](out))


def behavior_transformer(params, seq_emb, sequence, num_heads, use_causal=True):
    padding_mask = get_padding_mask(sequence)
    attn_mask = build_self_attn_mask(padding_mask, num_heads, use_causal)
    out = multihead_self_attention(params, seq_emb, attn_mask, num_heads)
    keep = (~padding_mask).unsqueeze(-1).float()
    return (out * keep).sum(1) / keep.sum(1).clamp(min=1.0)


def make_params(dim):
    layers = {n: nn.Linear(dim, dim, bias=False) for n in ("W_q", "W_k", "W_v", "W_o")}
    return nn.ModuleDict({**layers, "norm": nn.LayerNorm(dim)})


def ctr_logit(params, tower, item_emb, seq_emb, sequence, num_heads):
    pooled = behavior_transformer(params, seq_emb, sequence, num_heads)
    return tower(torch.cat([pooled, item_emb], dim=-1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    dim, heads = 16, 4
    params = make_params(dim).eval()
    tower = nn.Sequential(nn.Linear(2 * dim, 16), nn.ReLU(), nn.Linear(16, 1))
    emb = nn.Embedding(30, dim)
    seq = torch.tensor([[3, 4, 5, 0, 0], [6, 7, 8, 9, 10]])
    with torch.no_grad():
        full = ctr_logit(params, tower, emb(seq[:, 0]), emb(seq), seq, heads)
        solo = ctr_logit(params, tower, emb(seq[1:, 0]), emb(seq[1:]), seq[1:], heads)
    print("batch independent:", torch.allclose(full[1:], solo, atol=1e-5))
