# EXPECT: bug the causal keep-mask and the padding keep-mask are combined with | instead of &, so every real token can attend to all later real tokens and the left padding stays visible to real tokens through the causal part.
"""Batched left-padded generation for a GPT-2 style model using scaled_dot_product_attention with a 4-D boolean mask (in the style of HF GPT2 sdpa path with _prepare_4d_causal_attention_mask)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, d, heads, p):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(p)
        self.p = p

    def forward(self, x, attn_mask):
        B, T, D = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.p if self.training else 0.0)  # BUG-SITE
        x = x + self.drop(self.c_proj(y.transpose(1, 2).reshape(B, T, D)))
        return x + self.drop(self.mlp(self.ln_2(x)))


class GPT2Model(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4, layers=2, n_pos=24, p=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(n_pos, d)
        self.drop = nn.Dropout(p)
        self.h = nn.ModuleList([Block(d, heads, p) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)

    def prepare_4d_mask(self, attention_mask):
        T = attention_mask.size(1)
        causal = torch.tril(torch.ones(T, T, dtype=torch.bool))
        padding = attention_mask[:, None, None, :].bool()
        return causal[None, None] | padding

    def forward(self, input_ids, attention_mask):
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        mask = self.prepare_4d_mask(attention_mask)
        for block in self.h:
            x = block(x, mask)
        return self.ln_f(x) @ self.wte.weight.t()


def left_pad(seqs, pad=0):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad)
    am = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = torch.tensor(s)
        am[i, T - len(s):] = 1
    return ids, am


def run():
    torch.manual_seed(0)
    model = GPT2Model()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    seqs = [torch.randint(1, 50, (n,)).tolist() for n in (10, 6, 8)]
    ids, am = left_pad(seqs)
    model.train()
    logits = model(ids[:, :-1], am[:, :-1])
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits.reshape(-1, 50), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    ids, am = left_pad([[5, 9, 13], [7, 2, 4, 8, 11, 3]])
    with torch.no_grad():
        for _ in range(4):
            logits = model(ids, am)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            ids = torch.cat([ids, nxt], 1)
            am = torch.cat([am, torch.ones_like(nxt)], 1)
    return [loss.detach(), *grads, ids, logits[:, -1]]
