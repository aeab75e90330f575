"""Cuisine classifier over a recipe's ingredient list (order-free set encoder)."""
from dataclasses import dataclass, field
from typing import Sequence

import torch
import torch.nn.functional as F
from torch import nn

PANTRY = ["<pad>", "garlic", "onion", "soy sauce", "ginger", "cumin", "basil", "tomato", "olive oil",
          "rice", "tortilla", "lime", "cilantro", "butter", "cream", "fish sauce", "chili", "parmesan"]
CUISINES = ["chinese", "indian", "italian", "mexican", "thai", "french"]
PAD_ID = 0


@dataclass
class RecipeBatch:
    ingredients: torch.Tensor                    # (N, S) pantry ids, right-padded
    quantities: torch.Tensor                     # (N, S) grams, log-scaled
    attn_mask: torch.Tensor = field(init=False)

    def __post_init__(self):
        self.attn_mask = (self.ingredients == PAD_ID)[:, None, None, :]

    @classmethod
    def build(cls, recipes: Sequence[dict]):
        s = max(len(r) for r in recipes)
        ids = torch.zeros(len(recipes), s, dtype=torch.long)
        qty = torch.zeros(len(recipes), s)
        for i, r in enumerate(recipes):
            for j, (name, grams) in enumerate(r.items()):
                ids[i, j] = PANTRY.index(name)
                qty[i, j] = torch.log1p(torch.tensor(float(grams)))
        return cls(ids, qty)


class SetAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)

    def forward(self, x, attn_mask):
        n, s, d = x.shape
        q, k, v = self.qkv(x).reshape(n, s, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)  # expect: ML102
        return self.out(y.transpose(1, 2).reshape(n, s, d))


class CuisineClassifier(nn.Module):
    def __init__(self, dim=32, heads=4, depth=2):
        super().__init__()
        self.item = nn.Embedding(len(PANTRY), dim, padding_idx=PAD_ID)
        self.amount = nn.Linear(1, dim)
        self.layers = nn.ModuleList(SetAttention(dim, heads) for _ in range(depth))
        self.cls = nn.Linear(dim, len(CUISINES))

    def forward(self, batch: RecipeBatch):
        x = self.item(batch.ingredients) + self.amount(batch.quantities.unsqueeze(-1))
        for layer in self.layers:
            x = x + layer(F.layer_norm(x, x.shape[-1:]), batch.attn_mask)
        real = (batch.ingredients != PAD_ID).unsqueeze(-1).float()
        return self.cls((x * real).sum(1) / real.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    batch = RecipeBatch.build([
        {"garlic": 10, "soy sauce": 30, "ginger": 8, "rice": 200, "chili": 4},
        {"basil": 15, "tomato": 300, "olive oil": 20, "parmesan": 40},
        {"tortilla": 120, "lime": 20, "cilantro": 10},
    ])
    model = CuisineClassifier()
    logits = model(batch)
    loss = F.cross_entropy(logits, torch.tensor([0, 2, 3]))
    loss.backward()
    print("cuisine loss", round(loss.item(), 4), "pred", [CUISINES[i] for i in logits.argmax(-1)])
