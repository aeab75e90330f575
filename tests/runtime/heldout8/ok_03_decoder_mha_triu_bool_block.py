# EXPECT: clean
"""Decoder-only LM built from nn.MultiheadAttention with a boolean
"future = True = blocked" mask (MHA convention) plus a boolean
key_padding_mask for right-padded batches.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_head, dropout):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout, batch_first=True)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model), nn.Dropout(dropout))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, key_padding_mask):
        T = x.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=future, key_padding_mask=key_padding_mask, need_weights=False)
        x = x + self.drop(a)
        return x + self.mlp(self.ln2(x))


class TinyLM(nn.Module):
    def __init__(self, vocab_size=40, d_model=32, n_head=2, n_layer=2, max_len=32, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([DecoderBlock(d_model, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx):
        T = idx.size(1)
        key_padding_mask = idx == PAD
        x = self.drop(self.tok(idx) + self.pos(torch.arange(T, device=idx.device)))
        for blk in self.blocks:
            x = blk(x, key_padding_mask)
        return self.head(self.ln_f(x))


def right_pad(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, :len(s)] = s
    return out


def run():
    torch.manual_seed(0)
    vocab = 40
    model = TinyLM(vocab_size=vocab)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    batch = right_pad([torch.randint(1, vocab, (n,)) for n in (13, 9, 11)])
    inp, tgt = batch[:, :-1], batch[:, 1:]

    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, vocab), tgt.reshape(-1), ignore_index=PAD)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        eval_logits = model(inp)
        eval_loss = F.cross_entropy(eval_logits.reshape(-1, vocab), tgt.reshape(-1), ignore_index=PAD)
    return [loss.detach(), *grads, eval_logits, eval_loss]
