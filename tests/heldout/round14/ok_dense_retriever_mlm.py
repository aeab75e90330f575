"""Dense passage retriever pre-trained with a masked-language-model head (condenser-style),
then fine-tuned with in-batch negatives. The encoder is bidirectional by design."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

PAD, MASK, CLS = 0, 103, 101


class BidirectionalEncoder(nn.Module):
    def __init__(self, vocab: int = 30522, dim: int = 64, heads: int = 4, layers: int = 2, max_len: int = 128):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, 0.1, activation="gelu", batch_first=True)
        self.layers = nn.TransformerEncoder(layer, layers)
        self.lm_head = nn.Sequential(nn.Linear(dim, dim), nn.GELU(), nn.LayerNorm(dim), nn.Linear(dim, vocab))

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        return self.layers(x, src_key_padding_mask=input_ids.eq(PAD))

    def mlm_logits(self, input_ids: torch.Tensor) -> torch.Tensor:
        return self.lm_head(self(input_ids))


def mask_tokens(ids: torch.Tensor, p: float = 0.15, generator=None):
    labels = ids.clone()
    chosen = (torch.rand(ids.shape, generator=generator) < p) & ids.ne(PAD) & ids.ne(CLS)
    labels[~chosen] = -100
    return ids.masked_fill(chosen, MASK), labels


class DualEncoderRetriever(nn.Module):
    def __init__(self, encoder: BidirectionalEncoder, temperature: float = 0.05):
        super().__init__()
        self.encoder, self.t = encoder, temperature

    def embed(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.encoder(ids)[:, 0], dim=-1)

    def contrastive_loss(self, queries: torch.Tensor, passages: torch.Tensor) -> torch.Tensor:
        sim = self.embed(queries) @ self.embed(passages).T / self.t
        return F.cross_entropy(sim, torch.arange(sim.size(0)))


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = BidirectionalEncoder()
    passages = torch.tensor([[CLS, 2023, 2003, 1037, 6251, 2055, 1996, 3011, 0, 0],
                             [CLS, 9220, 2024, 4010, 2005, 2616, 0, 0, 0, 0],
                             [CLS, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899]])
    queries = torch.tensor([[CLS, 3011, 6251, 0], [CLS, 9220, 4010, 0], [CLS, 4419, 14523, 3899]])
    masked, labels = mask_tokens(passages, p=0.3, generator=torch.Generator().manual_seed(1))
    mlm = F.cross_entropy(enc.mlm_logits(masked).transpose(1, 2), labels, ignore_index=-100)
    retr = DualEncoderRetriever(enc).contrastive_loss(queries, passages)
    (mlm + retr).backward()
    print("mlm", round(mlm.item(), 4), "contrastive", round(retr.item(), 4))
    enc.eval()
    with torch.no_grad():
        print("retrieval ranks", (DualEncoderRetriever(enc).embed(queries) @ DualEncoderRetriever(enc).embed(passages).T)
              .argsort(-1, descending=True)[:, 0].tolist())
