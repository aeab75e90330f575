# EXPECT: bug the causal mask and the key-padding mask (both True = blocked) are merged with `&` instead of `|`, so only future *padding* keys are blocked and every real future token stays visible to the next-event objective.
"""Imitates symbolic-music / event-sequence decoders (Music Transformer style
remakes on nn.TransformerEncoder used decoder-only) that fuse the causal and
padding masks into a single per-head 3-D src mask to avoid the bool/float
mask-type mismatch warnings."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def build_src_mask(tokens, nhead):
    B, T = tokens.shape
    causal = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # True = blocked
    key_pad = tokens.eq(PAD)  # True = blocked
    mask = causal.unsqueeze(0) & key_pad.unsqueeze(1)  # [B, T, T]
    return mask.repeat_interleave(nhead, dim=0)  # [B * nhead, T, T]


class EventDecoder(nn.Module):
    def __init__(self, n_events=36, d=32, nhead=4, layers=2, max_len=16, dropout=0.1):
        super().__init__()
        self.nhead = nhead
        self.embed = nn.Embedding(n_events, d, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d)
        layer = nn.TransformerEncoderLayer(d, nhead, 2 * d, dropout, batch_first=True, norm_first=True)
        self.body = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_events)

    def forward(self, tokens):
        x = self.embed(tokens) + self.pos(torch.arange(tokens.size(1)))
        src_mask = build_src_mask(tokens, self.nhead)
        h = self.body(x, mask=src_mask)  # BUG-SITE
        return self.head(self.norm(h))


def collate(seqs):
    T = max(len(s) for s in seqs)
    out = torch.full((len(seqs), T), PAD, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = s
    return out


def run():
    torch.manual_seed(0)
    model = EventDecoder()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(59)
    batch = collate([torch.randint(1, 36, (n,), generator=g) for n in (13, 8, 11, 5)])
    inp, tgt = batch[:, :-1], batch[:, 1:]

    model.train()
    logits = model(inp)
    loss = F.cross_entropy(logits.reshape(-1, 36), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        vb = collate([torch.randint(1, 36, (n,), generator=g) for n in (6, 12, 9)])
        vlogits = model(vb[:, :-1])
        vloss = F.cross_entropy(vlogits.reshape(-1, 36), vb[:, 1:].reshape(-1), ignore_index=PAD)
    return [loss.detach(), *grads, vloss, vlogits * vb[:, :-1].ne(PAD).unsqueeze(-1)]
