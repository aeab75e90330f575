# EXPECT: bug
"""Encoder/decoder built from separate nn.TransformerEncoder and
nn.TransformerDecoder.  The decoder receives the *target* padding mask as
memory_key_padding_mask; both sides are padded to the same length (10), so the
shapes match and the cross-attention masks the wrong positions."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0
MAX_LEN = 10


class EncDec(nn.Module):
    def __init__(self, vocab=60, d=32, h=4, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.randn(MAX_LEN, d) * 0.02)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, h, 64, p, batch_first=True), 1, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, h, 64, p, batch_first=True), 2)
        self.proj = nn.Linear(d, vocab)

    def forward(self, src, tgt):
        src_pad, tgt_pad = src == PAD, tgt == PAD
        memory = self.encoder(self.emb(src) + self.pos, src_key_padding_mask=src_pad)
        causal = nn.Transformer.generate_square_subsequent_mask(MAX_LEN)
        out = self.decoder(self.emb(tgt) + self.pos, memory, tgt_mask=causal,  # BUG-SITE
                           tgt_key_padding_mask=tgt_pad.float().masked_fill(tgt_pad, float("-inf")),
                           memory_key_padding_mask=tgt_pad, tgt_is_causal=True)
        return self.proj(out)


def fixed_length(seqs):
    out = torch.full((len(seqs), MAX_LEN), PAD)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s)
    return out


def run():
    torch.manual_seed(25)
    g = torch.Generator().manual_seed(9)
    src = fixed_length([torch.randint(1, 60, (n,), generator=g).tolist() for n in (10, 4, 7)])
    tgt = fixed_length([torch.randint(1, 60, (n,), generator=g).tolist() for n in (6, 9, 3)])
    model = EncDec()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits = model(src, tgt)
    labels = torch.cat([tgt[:, 1:], torch.full((3, 1), PAD)], 1)
    loss = F.cross_entropy(logits.reshape(-1, 60), labels.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    gr = model.pos.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt)
    return [loss.detach(), gr, ev]
