# EXPECT: clean
"""Imitates Hugging Face BLOOM (build_alibi_tensor from the attention_mask,
baddbmm of the alibi bias with q @ k^T, a boolean causal|padding mask applied
with masked_fill(finfo.min), left padding for batched generation). Left-pad
query rows have every key masked, which only gives them uniform weights; they
are never read."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def build_alibi_tensor(attention_mask, num_heads, dtype):
    batch_size, seq_length = attention_mask.shape
    closest_power_of_2 = 2 ** math.floor(math.log2(num_heads))
    base = torch.tensor(2 ** (-(2 ** -(math.log2(closest_power_of_2) - 3))), dtype=torch.float32)
    powers = torch.arange(1, 1 + closest_power_of_2, dtype=torch.int32)
    slopes = torch.pow(base, powers)
    arange_tensor = ((attention_mask.cumsum(dim=-1) - 1) * attention_mask)[:, None, :]
    alibi = slopes[..., None] * arange_tensor
    return alibi.reshape(batch_size * num_heads, 1, seq_length).to(dtype)


def prepare_causal_attention_mask(attention_mask, seq_length):
    causal = torch.ones(seq_length, seq_length, dtype=torch.bool).triu(1)  # True = masked
    padding = ~attention_mask.bool()[:, None, None, :]
    return causal[None, None] | padding  # [B, 1, T, T]


class BloomAttention(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.num_heads, self.head_dim = heads, hidden // heads
        self.inv_norm_factor = 1.0 / math.sqrt(self.head_dim)
        self.query_key_value = nn.Linear(hidden, 3 * hidden)
        self.dense = nn.Linear(hidden, hidden)
        self.attention_dropout = nn.Dropout(dropout)

    def forward(self, hidden_states, alibi, attention_mask):
        B, T, _ = hidden_states.shape
        fused = self.query_key_value(hidden_states).view(B, T, self.num_heads, 3, self.head_dim)
        q = fused[..., 0, :].transpose(1, 2).reshape(B * self.num_heads, T, self.head_dim)
        k = fused[..., 1, :].permute(0, 2, 3, 1).reshape(B * self.num_heads, self.head_dim, T)
        v = fused[..., 2, :].transpose(1, 2).reshape(B * self.num_heads, T, self.head_dim)
        matmul_result = alibi.baddbmm(batch1=q, batch2=k, beta=1.0, alpha=self.inv_norm_factor)
        attention_scores = matmul_result.view(B, self.num_heads, T, T)
        attn_weights = attention_scores.masked_fill(attention_mask, torch.finfo(attention_scores.dtype).min)
        attention_probs = self.attention_dropout(F.softmax(attn_weights, dim=-1))
        context = torch.bmm(attention_probs.view(B * self.num_heads, T, T), v)
        context = context.view(B, self.num_heads, T, self.head_dim).transpose(1, 2).reshape(B, T, -1)
        return self.dense(context)


class BloomBlock(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.input_layernorm = nn.LayerNorm(hidden)
        self.self_attention = BloomAttention(hidden, heads, dropout)
        self.post_attention_layernorm = nn.LayerNorm(hidden)
        self.mlp = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(approximate="tanh"), nn.Linear(4 * hidden, hidden))
        self.hidden_dropout = nn.Dropout(dropout)

    def forward(self, x, alibi, mask):
        x = x + self.hidden_dropout(self.self_attention(self.input_layernorm(x), alibi, mask))
        return x + self.hidden_dropout(self.mlp(self.post_attention_layernorm(x)))


class BloomForCausalLM(nn.Module):
    def __init__(self, vocab=40, hidden=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.num_heads = heads
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.word_embeddings_layernorm = nn.LayerNorm(hidden)
        self.h = nn.ModuleList([BloomBlock(hidden, heads, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden)

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings_layernorm(self.word_embeddings(input_ids))
        alibi = build_alibi_tensor(attention_mask, self.num_heads, x.dtype)
        causal_mask = prepare_causal_attention_mask(attention_mask, input_ids.size(1))
        for block in self.h:
            x = block(x, alibi, causal_mask)
        return self.ln_f(x) @ self.word_embeddings.weight.t()


def left_pad(seqs, pad=3):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad, dtype=torch.long)
    mask = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = s
        mask[i, T - len(s):] = 1
    return ids, mask


@torch.no_grad()
def greedy(model, ids, mask, steps=4):
    for _ in range(steps):
        logits = model(ids, mask)
        ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], 1)
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], 1)
    return ids, logits[:, -1]


def run():
    torch.manual_seed(0)
    model = BloomForCausalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(127)
    ids, mask = left_pad([torch.randint(4, 40, (n,), generator=g) for n in (12, 7, 4, 9)])
    labels = ids.masked_fill(mask == 0, -100)

    model.train()
    logits = model(ids, mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    out, last = greedy(model, *left_pad([torch.randint(4, 40, (n,), generator=g) for n in (5, 2, 8)]))
    return [loss.detach(), *grads, out, last]
