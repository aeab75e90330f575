"""Masked-language model for antibody heavy-chain sequences (bidirectional, tied LM head)."""
import torch
from torch import nn
from torch.nn import functional as F

AA = "ACDEFGHIKLMNPQRSTVWY"
PAD, MASK, CLS, EOS = 0, 1, 2, 3
VOCAB = 4 + len(AA)


def tokenize(seqs):
    rows = [[CLS] + [4 + AA.index(a) for a in s] + [EOS] for s in seqs]
    L = max(map(len, rows))
    return torch.tensor([r + [PAD] * (L - len(r)) for r in rows])


class AntibodyMLM(nn.Module):
    def __init__(self, dim=64, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, dim, padding_idx=PAD)
        self.pos = nn.Embedding(256, dim)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.0, activation="gelu", batch_first=True), layers
        )
        self.lm_dense = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.LayerNorm(dim))
        self.lm_bias = nn.Parameter(torch.zeros(VOCAB))

    def forward(self, tokens):
        x = self.emb(tokens) + self.pos(torch.arange(tokens.size(1), device=tokens.device))
        x = self.encoder(x, src_key_padding_mask=tokens.eq(PAD))
        return self.lm_dense(x) @ self.emb.weight.t() + self.lm_bias

    def mlm_loss(self, tokens, p=0.15, generator=None):
        maskable = tokens > EOS
        pick = (torch.rand(tokens.shape, generator=generator) < p) & maskable
        corrupted = tokens.masked_fill(pick, MASK)
        logits = self(corrupted)
        return F.cross_entropy(logits[pick], tokens[pick])

    @torch.no_grad()
    def fill_mask(self, tokens):
        logits = self(tokens)
        return torch.where(tokens == MASK, logits.argmax(-1), tokens)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = AntibodyMLM()
    toks = tokenize(["EVQLVESGGGLVQPGGSLRLSCAAS", "QVQLQESGPGLVKPSQ"])
    print("mlm loss", model.mlm_loss(toks, generator=torch.Generator().manual_seed(0)).item())
    masked = toks.clone()
    masked[0, 5] = MASK
    print("filled", model.eval().fill_mask(masked)[0, 5].item())
