# REMI-token music transformer (pop piano), written with raw nn.MultiheadAttention.
import torch
import torch.nn as nn
import torch.nn.functional as F


class MusicBlock(nn.Module):
    def __init__(self, d_model=512, n_head=8, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, n_head, dropout=dropout, batch_first=True)
        self.ln1 = nn.LayerNorm(d_model)
        self.ln2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2048), nn.GELU(), nn.Dropout(dropout), nn.Linear(2048, d_model))

    def forward(self, x):
        T = x.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).triu_(1)
        h = self.ln1(x)
        h, _ = self.self_attn(h, h, h, causal)  # expect: ML501
        x = x + h
        return x + self.ff(self.ln2(x))


class REMITransformer(nn.Module):
    def __init__(self, n_tokens=400, d_model=512, n_layer=12, max_len=1024):
        super().__init__()
        self.tok = nn.Embedding(n_tokens, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(MusicBlock(d_model) for _ in range(n_layer))
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, n_tokens)

    def forward(self, tokens):
        x = self.tok(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        for blk in self.blocks:
            x = blk(x)
        return self.head(self.ln_f(x))


def train_step(model, segment, opt):
    logits = model(segment[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), segment[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


@torch.no_grad()
def continue_piece(model, prompt, n_new=512, top_k=5, temperature=1.2):
    seq = prompt
    for _ in range(n_new):
        logits = model(seq[:, -1024:])[:, -1] / temperature
        v, i = logits.topk(top_k)
        nxt = i.gather(-1, torch.multinomial(F.softmax(v, -1), 1))
        seq = torch.cat([seq, nxt], 1)
    return seq
