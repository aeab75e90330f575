# EXPECT: clean
"""Imitates Hugging Face GPT2ForSequenceClassification with right padding and the
SDPA path called with is_causal=True and no padding mask: with right padding,
causality alone already hides every pad from every real token, pad positions are
never read (pooling takes the last non-pad token, found HF-style with
argmax(input_ids == pad_token_id) - 1), and the auxiliary LM loss ignores pads."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = 0


class GPT2Attention(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.resid_dropout = nn.Dropout(dropout)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.c_attn(x).split(D, dim=2)
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0.0, is_causal=True)
        return self.resid_dropout(self.c_proj(y.transpose(1, 2).reshape(B, T, D)))


class GPT2Block(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = GPT2Attention(d, heads, dropout)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d), nn.Dropout(dropout))

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class GPT2ForSequenceClassification(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, layers=2, num_labels=3, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(16, d)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList([GPT2Block(d, heads, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.score = nn.Linear(d, num_labels, bias=False)

    def forward(self, input_ids):
        B, T = input_ids.shape
        x = self.drop(self.wte(input_ids) + self.wpe(torch.arange(T)))
        for block in self.h:
            x = block(x)
        hidden = self.ln_f(x)
        sequence_lengths = torch.eq(input_ids, PAD_ID).int().argmax(-1) - 1
        sequence_lengths = sequence_lengths % T
        pooled = self.score(hidden)[torch.arange(B), sequence_lengths]
        lm_logits = hidden @ self.wte.weight.t()
        return pooled, lm_logits


def pad_right(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD_ID, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def run():
    torch.manual_seed(0)
    model = GPT2ForSequenceClassification()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(193)
    ids = pad_right([torch.randint(1, 40, (n,), generator=g) for n in (12, 5, 9, 3)])
    labels = torch.tensor([2, 1, 0, 2])
    lm_labels = ids.masked_fill(ids.eq(PAD_ID), -100)

    model.train()
    pooled, lm_logits = model(ids)
    loss = F.cross_entropy(pooled, labels) + 0.5 * F.cross_entropy(
        lm_logits[:, :-1].reshape(-1, 40), lm_labels[:, 1:].reshape(-1), ignore_index=-100
    )
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        ev = pad_right([torch.randint(1, 40, (n,), generator=g) for n in (4, 10, 7)])
        ev_pooled, _ = model(ev)
    return [loss.detach(), *grads, ev_pooled.softmax(-1)]
