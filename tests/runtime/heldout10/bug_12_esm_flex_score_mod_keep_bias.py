# EXPECT: bug the flex_attention score_mod adds the 0/1 residue mask (1 = real residue) to the scores, a +1 bias that masks nothing, so padded positions are attended in batched inference.
"""Protein language model encoder (masked-LM) in the style of facebookresearch/esm, with a FlexAttention inference path for padded batches."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import flex_attention

ALPHABET = "<pad><cls><eos><mask>"
PAD, CLS, EOS, MASK = 0, 1, 2, 3
VOCAB = 24


class RotaryEmbedding(nn.Module):
    def __init__(self, dim):
        super().__init__()
        inv_freq = 1.0 / (10000 ** (torch.arange(0, dim, 2).float() / dim))
        self.register_buffer("inv_freq", inv_freq, persistent=False)

    def forward(self, x):
        t = torch.arange(x.size(-2)).float()
        freqs = torch.outer(t, self.inv_freq)
        emb = torch.cat([freqs, freqs], -1)
        x1, x2 = x.chunk(2, -1)
        rot = torch.cat([-x2, x1], -1)
        return x * emb.cos() + rot * emb.sin()


class MultiheadAttention(nn.Module):
    def __init__(self, embed_dim, num_heads, dropout):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = embed_dim // num_heads
        self.q_proj = nn.Linear(embed_dim, embed_dim)
        self.k_proj = nn.Linear(embed_dim, embed_dim)
        self.v_proj = nn.Linear(embed_dim, embed_dim)
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        self.rot_emb = RotaryEmbedding(self.head_dim)
        self.dropout = dropout

    def forward(self, x, residue_mask=None):
        B, T, C = x.shape
        q, k, v = (p(x).view(B, T, self.num_heads, self.head_dim).transpose(1, 2) for p in (self.q_proj, self.k_proj, self.v_proj))
        q, k = self.rot_emb(q), self.rot_emb(k)
        if residue_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, dropout_p=self.dropout if self.training else 0.0)
        else:
            keep = residue_mask.to(q.dtype)

            def score_mod(score, b, h, q_idx, kv_idx):
                return score + keep[b, kv_idx]

            out = flex_attention(q, k, v, score_mod=score_mod)  # BUG-SITE
        return self.out_proj(out.transpose(1, 2).reshape(B, T, C))


class TransformerLayer(nn.Module):
    def __init__(self, embed_dim, ffn_dim, heads, dropout):
        super().__init__()
        self.self_attn = MultiheadAttention(embed_dim, heads, dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, residue_mask=None):
        x = x + self.drop(self.self_attn(self.self_attn_layer_norm(x), residue_mask))
        return x + self.drop(self.fc2(F.gelu(self.fc1(self.final_layer_norm(x)))))


class ESM2(nn.Module):
    def __init__(self, num_layers=2, embed_dim=32, heads=4, dropout=0.1):
        super().__init__()
        self.embed_scale = 1.0
        self.embed_tokens = nn.Embedding(VOCAB, embed_dim, padding_idx=PAD)
        self.layers = nn.ModuleList([TransformerLayer(embed_dim, 2 * embed_dim, heads, dropout) for _ in range(num_layers)])
        self.emb_layer_norm_after = nn.LayerNorm(embed_dim)
        self.lm_head = nn.Linear(embed_dim, VOCAB)

    def forward(self, tokens, residue_mask=None):
        x = self.embed_scale * self.embed_tokens(tokens)
        if residue_mask is not None:
            x = x * residue_mask.unsqueeze(-1).to(x.dtype)
        for layer in self.layers:
            x = layer(x, residue_mask)
        x = self.emb_layer_norm_after(x)
        return self.lm_head(x), x


def batch_converter(lengths, max_len):
    toks = torch.full((len(lengths), max_len), PAD)
    for i, n in enumerate(lengths):
        toks[i, 0] = CLS
        toks[i, 1:n + 1] = torch.randint(4, VOCAB, (n,))
        toks[i, n + 1] = EOS
    return toks


def run():
    torch.manual_seed(0)
    model = ESM2()
    opt = torch.optim.Adam(model.parameters(), lr=4e-4)
    toks = batch_converter([10, 10, 10], 12)
    corrupt = toks.clone()
    sel = torch.rand(toks.shape) < 0.15
    sel[:, 0] = False
    sel[:, 1] = True
    corrupt[sel] = MASK
    labels = torch.where(sel, toks, torch.full_like(toks, -100))
    model.train()
    logits, _ = model(corrupt)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        toks2 = batch_converter([4, 9, 6], 12)
        residue_mask = toks2 != PAD
        _, reps = model(toks2, residue_mask)
        lens = residue_mask.sum(1, keepdim=True)
        per_protein = (reps * residue_mask.unsqueeze(-1)).sum(1) / lens
    return [loss.detach(), *grads, reps, per_protein]
