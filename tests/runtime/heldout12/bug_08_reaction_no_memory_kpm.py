# EXPECT: bug
"""Reaction (reactant SMILES -> product SMILES) seq2seq model using nn.Transformer."""
import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, PAD, BOS = 30, 0, 1


class ReactionSeq2Seq(nn.Module):
    def __init__(self, d=32, heads=4, p=0.1):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Embedding(32, d)
        self.tf = nn.Transformer(d, heads, num_encoder_layers=1, num_decoder_layers=1,
                                 dim_feedforward=64, dropout=p, batch_first=True)
        self.gen = nn.Linear(d, VOCAB)

    def embed(self, ids):
        return self.emb(ids) + self.pos(torch.arange(ids.size(1)))

    def forward(self, src, tgt_in):
        src_pad = src == PAD
        tgt_pad = tgt_in == PAD
        causal = self.tf.generate_square_subsequent_mask(tgt_in.size(1), dtype=torch.bool)
        h = self.tf(self.embed(src), self.embed(tgt_in), tgt_mask=causal, src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad)  # BUG-SITE
        return self.gen(h)


def run():
    torch.manual_seed(0)
    model = ReactionSeq2Seq()
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    src = torch.randint(2, VOCAB, (3, 9))
    src[1, 5:] = PAD  # a short reactant string
    tgt = torch.randint(2, VOCAB, (3, 7))
    tgt_in = torch.cat([torch.full((3, 1), BOS), tgt[:, :-1]], dim=1)

    model.train()
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, VOCAB), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()

    model.eval()
    with torch.no_grad():
        out = model(src, tgt_in)
    return [loss.detach(), out]
