"""Forward reaction prediction as SMILES translation (reactants>>product) with nn.Transformer."""
from __future__ import annotations

import re
from typing import Dict, List, Sequence

import torch
import torch.nn.functional as F
from torch import nn

SMILES_REGEX = re.compile(r"(\[[^\]]+]|Br?|Cl?|N|O|S|P|F|I|b|c|n|o|s|p|\(|\)|\.|=|#|-|\+|\\|/|:|~|@|\?|>|\*|\$|%[0-9]{2}|[0-9])")
SPECIALS = ["<pad>", "<bos>", "<eos>", "<unk>"]


class SmilesVocab:
    def __init__(self, corpus: Sequence[str]):
        toks = sorted({t for s in corpus for t in SMILES_REGEX.findall(s)})
        self.itos: List[str] = SPECIALS + toks
        self.stoi: Dict[str, int] = {t: i for i, t in enumerate(self.itos)}
        self.pad, self.bos, self.eos = 0, 1, 2

    def encode(self, smi: str) -> List[int]:
        return [self.bos] + [self.stoi.get(t, 3) for t in SMILES_REGEX.findall(smi)] + [self.eos]

    def batch(self, smiles: Sequence[str]) -> torch.Tensor:
        ids = [self.encode(s) for s in smiles]
        width = max(map(len, ids))
        return torch.tensor([x + [self.pad] * (width - len(x)) for x in ids])


class ReactionTranslator(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 64, nhead: int = 4, layers: int = 2, max_len: int = 160):
        super().__init__()
        self.src_emb = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.tgt_emb = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.pos = nn.Embedding(max_len, d_model)
        self.core = nn.Transformer(d_model, nhead, layers, layers, 4 * d_model, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, vocab_size)

    def _embed(self, table: nn.Embedding, ids: torch.Tensor) -> torch.Tensor:
        return table(ids) + self.pos(torch.arange(ids.size(1), device=ids.device))

    def forward(self, src: torch.Tensor, tgt_in: torch.Tensor) -> torch.Tensor:
        src_pad, tgt_pad = src.eq(0), tgt_in.eq(0)
        causal = self.core.generate_square_subsequent_mask(tgt_in.size(1), device=src.device, dtype=torch.bool)
        out = self.core(  # expect: ML502
            self._embed(self.src_emb, src),
            self._embed(self.tgt_emb, tgt_in),
            tgt_mask=causal,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            tgt_is_causal=True,
        )
        return self.generator(out)


def translation_loss(model: ReactionTranslator, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
    logits = model(src, tgt[:, :-1])
    return F.cross_entropy(logits.transpose(1, 2), tgt[:, 1:], ignore_index=0, label_smoothing=0.1)


if __name__ == "__main__":
    torch.manual_seed(0)
    reactions = [
        ("CC(=O)O.OCC", "CC(=O)OCC"),
        ("c1ccccc1Br.B(O)(O)c1ccccc1", "c1ccc(-c2ccccc2)cc1"),
        ("CCN.CC(=O)Cl", "CCNC(C)=O"),
    ]
    vocab = SmilesVocab([s for r in reactions for s in r])
    src = vocab.batch([r for r, _ in reactions])
    tgt = vocab.batch([p for _, p in reactions])
    model = ReactionTranslator(len(vocab.itos))
    opt = torch.optim.Adam(model.parameters(), lr=5e-4)
    for step in range(3):
        loss = translation_loss(model, src, tgt)
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("vocab", len(vocab.itos), "src", tuple(src.shape), "loss", round(loss.item(), 4))
