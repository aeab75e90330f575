"""Star-rating regression for app-store reviews (BERT-style encoder).

The tokenizer's `attention_mask` (1 = token, 0 = padding) is turned into the
additive 4-D form Hugging Face uses: 0 where a key is visible and the most
negative finite value of the compute dtype where it is padding.
"""
import torch
import torch.nn.functional as F
from torch import nn


def extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(N, S) int -> (N, 1, 1, S) additive bias in `dtype`."""
    inverted = 1.0 - attention_mask[:, None, None, :].to(dtype)
    return inverted * torch.finfo(dtype).min


class ReviewLayer(nn.Module):
    def __init__(self, hidden, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.attn_out = nn.Linear(hidden, hidden)
        self.ln1, self.ln2 = nn.LayerNorm(hidden), nn.LayerNorm(hidden)
        self.ffn = nn.Sequential(nn.Linear(hidden, 4 * hidden), nn.GELU(), nn.Linear(4 * hidden, hidden))

    def forward(self, x, bias):
        n, s, d = x.shape
        q, k, v = self.qkv(x).view(n, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = self.ln1(x + self.attn_out(ctx.transpose(1, 2).reshape(n, s, d)))
        return self.ln2(x + self.ffn(x))


class RatingModel(nn.Module):
    def __init__(self, vocab=30522, hidden=32, heads=4, layers=2):
        super().__init__()
        self.embeddings = nn.Embedding(vocab, hidden, padding_idx=0)
        self.positions = nn.Embedding(128, hidden)
        self.layers = nn.ModuleList(ReviewLayer(hidden, heads) for _ in range(layers))
        self.regressor = nn.Linear(hidden, 1)

    def forward(self, input_ids, attention_mask):
        x = self.embeddings(input_ids) + self.positions(torch.arange(input_ids.size(1)))
        bias = extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        return 1 + 4 * torch.sigmoid(self.regressor(x[:, 0]).squeeze(-1))      # 1..5 stars


if __name__ == "__main__":
    torch.manual_seed(0)
    input_ids = torch.tensor([[101, 1045, 2293, 2023, 10439, 999, 102],
                              [101, 13675, 2015, 2006, 102, 0, 0],
                              [101, 2919, 102, 0, 0, 0, 0]])
    attention_mask = (input_ids != 0).long()
    stars = torch.tensor([5.0, 1.0, 2.0])
    model = RatingModel()
    loss = F.smooth_l1_loss(model(input_ids, attention_mask), stars)
    loss.backward()
    print("rating loss", round(loss.item(), 4))
