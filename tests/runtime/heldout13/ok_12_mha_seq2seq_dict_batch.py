# EXPECT: ok
"""Hand-assembled encoder/decoder on nn.MultiheadAttention with dict batches:
encoder self-attention and decoder cross-attention get the source padding mask
(True = pad) as key_padding_mask, decoder self-attention gets an additive
causal mask triu(full(-inf), 1) plus a float 0/-inf target padding mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def additive_causal(T):
    return torch.triu(torch.full((T, T), float("-inf")), diagonal=1)


def additive_padding(pad):
    return torch.zeros(pad.shape).masked_fill(pad, float("-inf"))


class EncLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.sa = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, src_pad):
        return self.ln(x + self.sa(x, x, x, key_padding_mask=src_pad, need_weights=False)[0])


class DecLayer(nn.Module):
    def __init__(self, d, h, p):
        super().__init__()
        self.sa = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ca = nn.MultiheadAttention(d, h, dropout=p, batch_first=True)
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)

    def forward(self, y, mem, causal, tgt_pad_add, src_pad):
        y = self.ln1(y + self.sa(y, y, y, attn_mask=causal, key_padding_mask=tgt_pad_add)[0])
        return self.ln2(y + self.ca(y, mem, mem, key_padding_mask=src_pad)[0])


class Model(nn.Module):
    def __init__(self, vocab=70, d=32, h=4, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=0)
        self.pos = nn.Embedding(32, d)
        self.enc = nn.ModuleList([EncLayer(d, h, p), EncLayer(d, h, p)])
        self.dec = nn.ModuleList([DecLayer(d, h, p), DecLayer(d, h, p)])
        self.out = nn.Linear(d, vocab)

    def forward(self, batch):
        src, tgt = batch["src_ids"], batch["decoder_input_ids"]
        src_pad = batch["src_mask"] == 0
        tgt_pad_add = additive_padding(batch["decoder_mask"] == 0)
        x = self.emb(src) + self.pos(torch.arange(src.size(1)))
        for layer in self.enc:
            x = layer(x, src_pad)
        y = self.emb(tgt) + self.pos(torch.arange(tgt.size(1)))
        causal = additive_causal(tgt.size(1))
        for layer in self.dec:
            y = layer(y, x, causal, tgt_pad_add, src_pad)
        return self.out(y)


def run():
    torch.manual_seed(112)
    src_mask = torch.tensor([[1] * 8, [1] * 5 + [0] * 3, [1] * 2 + [0] * 6, [1] * 7 + [0]])
    dec_mask = torch.tensor([[1] * 6, [1] * 4 + [0] * 2, [1] * 6, [1] * 3 + [0] * 3])
    batch = {"src_ids": torch.randint(1, 70, (4, 8)) * src_mask, "src_mask": src_mask,
             "decoder_input_ids": torch.randint(1, 70, (4, 6)) * dec_mask, "decoder_mask": dec_mask}
    labels = torch.randint(1, 70, (4, 6)).masked_fill(dec_mask == 0, -100)
    model = Model()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    loss = F.cross_entropy(model(batch).reshape(-1, 70), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.out.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(batch)
    return [loss.detach(), g, ev]
