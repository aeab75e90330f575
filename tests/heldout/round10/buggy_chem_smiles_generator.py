"""SMILES language model for de novo molecule generation (REINVENT-style prior, transformer variant)."""
import math
import re

import torch
import torch.nn as nn
import torch.nn.functional as F

SMILES_REGEX = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])")
SPECIALS = ["<pad>", "<bos>", "<eos>"]


class Vocab:
    def __init__(self, corpus):
        toks = sorted({t for s in corpus for t in SMILES_REGEX.findall(s)})
        self.itos = SPECIALS + toks
        self.stoi = {t: i for i, t in enumerate(self.itos)}

    def encode(self, smi):
        return [1] + [self.stoi[t] for t in SMILES_REGEX.findall(smi)] + [2]

    def batch(self, smiles):
        seqs = [self.encode(s) for s in smiles]
        n = max(map(len, seqs))
        return torch.tensor([s + [0] * (n - len(s)) for s in seqs])


class PositionalEncoding(nn.Module):
    def __init__(self, d, max_len=256):
        super().__init__()
        pe = torch.zeros(max_len, d)
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d, 2) * (-math.log(10000.0) / d))
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class SmilesPrior(nn.Module):
    def __init__(self, vocab_size, d=128, heads=8, layers=3):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, d, padding_idx=0)
        self.pos = PositionalEncoding(d)
        enc_layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1, batch_first=True)
        self.body = nn.TransformerEncoder(enc_layer, layers)
        self.out = nn.Linear(d, vocab_size)

    def forward(self, tokens):
        pad = tokens == 0
        h = self.pos(self.emb(tokens) * math.sqrt(self.emb.embedding_dim))
        h = self.body(h, src_key_padding_mask=pad)  # expect: ML401
        return self.out(h)

    def likelihood(self, tokens):
        logits = self(tokens[:, :-1])
        nll = F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=0, reduction="none")
        return -nll.sum(1)


if __name__ == "__main__":
    torch.manual_seed(0)
    corpus = ["CCO", "c1ccccc1O", "CC(=O)Nc1ccc(O)cc1", "C[C@H](N)C(=O)O", "ClCCl"]
    vocab = Vocab(corpus)
    model = SmilesPrior(len(vocab.itos))
    batch = vocab.batch(corpus)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = -model.likelihood(batch).mean()
    loss.backward()
    opt.step()
    print(batch.shape, loss.item())
