import torch
from torch import nn

from .layers import ReactionEncoder
from .masks import key_padding_from


class YieldRegressor(nn.Module):
    def __init__(self, vocab_size: int = 128, dim: int = 32, heads: int = 4, depth: int = 2):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim, padding_idx=0)
        self.cls = nn.Parameter(torch.randn(1, 1, dim) * 0.02)
        self.encoder = ReactionEncoder(dim, heads, depth)
        self.head = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, 1))

    def forward(self, batch):
        x = self.embed(batch["input_ids"])
        x = torch.cat([self.cls.expand(x.size(0), -1, -1), x], dim=1)
        padding = key_padding_from(batch["attention_mask"], n_prefix=1)
        h = self.encoder(x, padding)
        return torch.sigmoid(self.head(h[:, 0])).squeeze(-1)   # yield fraction


def main():
    from .tokenizer import SmilesTokenizer

    torch.manual_seed(0)
    tok = SmilesTokenizer()
    batch = tok(["CC(=O)Cl.OCC>>CC(=O)OCC", "c1ccccc1Br.B(O)O>>c1ccccc1", "CO>>C=O"])
    model = YieldRegressor()
    pred = model(batch)
    loss = nn.functional.mse_loss(pred, torch.tensor([0.82, 0.41, 0.12]))
    loss.backward()
    model.eval()
    with torch.no_grad():
        print("train mse", round(loss.item(), 4), "eval", model(batch).tolist())
