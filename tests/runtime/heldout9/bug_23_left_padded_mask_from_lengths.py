# EXPECT: bug the batch is left-padded (padding_side="left") but the key mask is rebuilt from lengths as arange(T) < length (a right-padding mask), so left pads are attended and the most recent real tokens are masked out.
"""Imitates batched-inference helpers around decoder-only LMs (e.g. vLLM-less
research code / lm-eval-harness style loglikelihood batching) that left-pad
prompts for generation but rebuild the padding mask from sequence lengths."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def left_pad(seqs):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = s
    return ids, torch.tensor([len(s) for s in seqs])


def make_attn_mask(lengths, T):
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    keep = torch.arange(T)[None, :] < lengths[:, None]
    return causal[None, None] & keep[:, None, None, :]


class DecoderLayer(nn.Module):
    def __init__(self, d, heads, dropout):
        super().__init__()
        self.heads, self.dropout = heads, dropout
        self.ln1 = nn.LayerNorm(d)
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d), nn.Dropout(dropout))

    def forward(self, x, attn_mask):
        B, T, D = x.shape
        q, k, v = self.c_attn(self.ln1(x)).split(D, dim=-1)
        q, k, v = (t.view(B, T, self.heads, -1).transpose(1, 2) for t in (q, k, v))
        y = F.scaled_dot_product_attention(q, k, v, attn_mask, self.dropout if self.training else 0.0)  # BUG-SITE
        x = x + self.c_proj(y.transpose(1, 2).reshape(B, T, D))
        return x + self.mlp(self.ln2(x))


class LM(nn.Module):
    def __init__(self, vocab=40, d=32, heads=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(max_len, d)
        self.layers = nn.ModuleList([DecoderLayer(d, heads, dropout) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, ids, lengths):
        B, T = ids.shape
        position_ids = (torch.arange(T)[None, :] - (T - lengths)[:, None]).clamp(min=0)
        x = self.wte(ids) + self.wpe(position_ids)
        mask = make_attn_mask(lengths, T)
        for layer in self.layers:
            x = layer(x, mask)
        return self.lm_head(self.ln_f(x))


@torch.no_grad()
def batched_greedy(model, prompts, steps=4):
    ids, lengths = left_pad(prompts)
    for _ in range(steps):
        logits = model(ids, lengths)
        ids = torch.cat([ids, logits[:, -1].argmax(-1, keepdim=True)], dim=1)
        lengths = lengths + 1
    return ids, logits[:, -1]


def run():
    torch.manual_seed(0)
    model = LM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(61)
    ids, lengths = left_pad([torch.randint(1, 40, (n,), generator=g) for n in (11, 6, 9, 4)])
    labels = ids.masked_fill(ids.eq(PAD), -100)

    model.train()
    logits = model(ids, lengths)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    out, last = batched_greedy(model, [torch.randint(1, 40, (n,), generator=g) for n in (3, 8, 5)])
    return [loss.detach(), *grads, out, last]
