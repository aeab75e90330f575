# EXPECT: ok both masks given to nn.MultiheadAttention are float and additive in the right convention: a 0/-inf causal attn_mask from generate_square_subsequent_mask and a 0/-inf key_padding_mask built with masked_fill, so the float dtypes match and nothing is a 0/1 mask.
"""Right-padded music/event-token language model with nn.MultiheadAttention decoder blocks, in the style of a Music Transformer / MIDI LM baseline using float additive masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class DecoderBlock(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.ln1 = nn.LayerNorm(d)
        self.attn = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Dropout(p), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(p)

    def forward(self, x, causal, pad):
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=causal, key_padding_mask=pad, need_weights=False)
        x = x + self.drop(a)
        return x + self.drop(self.ff(self.ln2(x)))


class EventLM(nn.Module):
    def __init__(self, vocab=64, d=32, h=4, n=2, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(32, d)
        self.blocks = nn.ModuleList([DecoderBlock(d, h, p) for _ in range(n)])
        self.ln = nn.LayerNorm(d)
        self.out = nn.Linear(d, vocab)

    def forward(self, ids):
        T = ids.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        pad = torch.zeros(ids.shape).masked_fill(ids == PAD, float("-inf"))
        x = self.emb(ids) + self.pos(torch.arange(T))[None]
        for b in self.blocks:
            x = b(x, causal, pad)
        return self.out(self.ln(x))


def run():
    torch.manual_seed(0)
    model = EventLM()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    ids = torch.randint(1, 64, (3, 12))
    ids[1, 8:] = PAD
    ids[2, 5:] = PAD
    model.train()
    logits = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 64), ids[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    seq = ids[:, :3]
    with torch.no_grad():
        for _ in range(5):
            logits = model(seq)
            seq = torch.cat([seq, logits[:, -1].argmax(-1, keepdim=True)], 1)
    return [loss.detach(), *grads, seq, logits[:, -1]]
