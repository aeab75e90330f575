import torch
import torch.nn.functional as F
from torch import nn

from .config import TowerConfig
from .layers import TowerLayer
from .masks import mean_pool, sdpa_key_mask


class BiEncoder(nn.Module):
    def __init__(self, cfg: TowerConfig = TowerConfig()):
        super().__init__()
        self.cfg = cfg
        self.tok = nn.Embedding(cfg.vocab, cfg.dim)
        self.pos = nn.Embedding(cfg.max_len, cfg.dim)
        self.layers = nn.ModuleList(TowerLayer(cfg.dim, cfg.heads) for _ in range(cfg.depth))

    def encode(self, input_ids, attention_mask):
        x = self.tok(input_ids) + self.pos(torch.arange(input_ids.size(1), device=input_ids.device))
        key_mask = sdpa_key_mask(attention_mask)
        for layer in self.layers:
            x = layer(x, key_mask)
        return F.normalize(mean_pool(x, attention_mask), dim=-1)

    def forward(self, queries, passages):
        q = self.encode(**queries)
        p = self.encode(**passages)
        scores = q @ p.T / self.cfg.temperature
        return F.cross_entropy(scores, torch.arange(q.size(0), device=q.device))  # in-batch negatives


def main():
    torch.manual_seed(0)
    model = BiEncoder()
    q_ids = torch.randint(1, 1000, (3, 6))
    q_mask = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 0, 0]])
    p_ids = torch.randint(1, 1000, (3, 10))
    p_mask = (torch.arange(10)[None] < torch.tensor([[10], [4], [7]])).long()
    loss = model({"input_ids": q_ids, "attention_mask": q_mask}, {"input_ids": p_ids, "attention_mask": p_mask})
    loss.backward()
    print("contrastive loss", round(loss.item(), 4))
