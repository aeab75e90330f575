# EXPECT: bug
"""Batch-first nn.Transformer translation model whose target mask is sized
from tgt.size(0): with batch_first=True that is the batch size (4), not the
target length (7), and the decoder rejects the mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Translator(nn.Module):
    def __init__(self, src_vocab=50, tgt_vocab=55, d=32, heads=4, p=0.1):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d)
        self.tgt_emb = nn.Embedding(tgt_vocab, d)
        self.transformer = nn.Transformer(d, heads, num_encoder_layers=1, num_decoder_layers=2,
                                          dim_feedforward=64, dropout=p, batch_first=True)
        self.gen = nn.Linear(d, tgt_vocab)

    def forward(self, src, tgt):
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(0))
        out = self.transformer(self.src_emb(src), self.tgt_emb(tgt), tgt_mask=tgt_mask)  # BUG-SITE
        return self.gen(out)


def run():
    torch.manual_seed(10)
    src = torch.randint(0, 50, (4, 9))
    tgt = torch.randint(0, 55, (4, 8))
    model = Translator()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    logits = model(src, tgt[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 55), tgt[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    g = model.gen.weight.grad.clone()
    opt.step()
    model.eval()
    with torch.no_grad():
        out = model(src, tgt[:, :-1])
    return [loss.detach(), g, out]
