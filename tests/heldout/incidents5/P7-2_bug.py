"""Masked-token pretraining data + encoder, configured through a dataclass."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class PretrainArgs:
    vocab: int = 100
    d_model: int = 32
    nhead: int = 4
    layers: int = 2
    seq_len: int = 8
    drop_token_prob: float = 0.5
    seed: int = 0


class Encoder(nn.Module):
    def __init__(self, args: PretrainArgs):
        super().__init__()
        self.args = args
        self.emb = nn.Embedding(args.vocab, args.d_model)
        layer = nn.TransformerEncoderLayer(args.d_model, args.nhead, 64, 0.0)
        self.enc = nn.TransformerEncoder(layer, args.layers, enable_nested_tensor=False)
        self.head = nn.Linear(args.d_model, args.vocab)

    def forward(self, tokens, key_padding_mask):
        h = self.enc(self.emb(tokens).transpose(0, 1), src_key_padding_mask=key_padding_mask)  # BUG
        return self.head(h.transpose(0, 1))


def random_key_padding_mask(batch, args: PretrainArgs, generator=None):
    # randomly hide context tokens from attention
    return torch.rand(batch, args.seq_len, generator=generator) < args.drop_token_prob  # BUG


def pretrain_step(model, opt, tokens, args: PretrainArgs, generator=None):
    kpm = random_key_padding_mask(tokens.shape[0], args, generator)
    logits = model(tokens, kpm)
    loss = nn.functional.cross_entropy(logits.reshape(-1, args.vocab), tokens.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    args = PretrainArgs(drop_token_prob=0.85)
    g = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    model = Encoder(args)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    tokens = torch.randint(0, args.vocab, (16, args.seq_len), generator=g)
    losses = [pretrain_step(model, opt, tokens, args, g) for _ in range(3)]
    model.eval()
    with torch.no_grad():
        out = model(tokens, random_key_padding_mask(16, args, g))
    print("losses:", [round(l, 3) for l in losses], "eval finite:", torch.isfinite(out).all().item())
