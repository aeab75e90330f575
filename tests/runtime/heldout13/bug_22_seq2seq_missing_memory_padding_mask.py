# EXPECT: bug
"""Summariser on nn.Transformer: the source padding mask reaches the encoder,
but the decoder's cross-attention gets no memory_key_padding_mask, so target
tokens attend to the encoder states of source padding."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS = 0, 1


class Seq2Seq(nn.Module):
    def __init__(self, vocab=80, d=32, nhead=4, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(40, d)
        self.core = nn.Transformer(d_model=d, nhead=nhead, num_encoder_layers=2,
                                   num_decoder_layers=2, dim_feedforward=64,
                                   dropout=p, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def embed(self, x):
        return self.emb(x) + self.pos(torch.arange(x.size(1)))

    def forward(self, src, tgt_in):
        src_pad = src == PAD
        tgt_pad = tgt_in == PAD
        causal = self.core.generate_square_subsequent_mask(tgt_in.size(1), dtype=torch.bool)
        h = self.core(self.embed(src), self.embed(tgt_in),  # BUG-SITE
                      tgt_mask=causal,
                      src_key_padding_mask=src_pad,
                      tgt_key_padding_mask=tgt_pad)
        return self.out(h)


def batch(gen):
    src_lens, tgt_lens = [12, 5, 9, 12, 7], [6, 3, 5, 4, 6]
    src = torch.full((5, 12), PAD)
    tgt = torch.full((5, 7), PAD)
    for i, (s, t) in enumerate(zip(src_lens, tgt_lens)):
        src[i, :s] = torch.randint(2, 80, (s,), generator=gen)
        tgt[i, 0] = BOS
        tgt[i, 1:t + 1] = torch.randint(2, 80, (t,), generator=gen)
    return src, tgt


def run():
    torch.manual_seed(22)
    src, tgt = batch(torch.Generator().manual_seed(2))
    model = Seq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 80), tgt[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    g = model.emb.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(src, tgt[:, :-1])
    return [loss.detach(), g, ev]
