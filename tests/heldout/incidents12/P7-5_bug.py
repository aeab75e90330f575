import torch
import torch.nn.functional as F
from torch import nn


def sdpa_mask(batch_size, cache_position, kv_length, attention_mask):
    q_idx = cache_position[:, None]
    kv_idx = torch.arange(kv_length)[None, :]
    causal = kv_idx <= q_idx
    padding = attention_mask[:, None, None, :].bool()
    mask = causal[None, None] & padding
    mask = mask  # BUG
    return mask


class Gemma4Attention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, mask):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.o_proj(out.transpose(1, 2).reshape(b, n, d))


class FastGemma4Model(nn.Module):
    def __init__(self, vocab=50, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([Gemma4Attention(hidden) for _ in range(layers)])
        self.norm = nn.LayerNorm(hidden)

    def forward(self, input_ids, attention_mask):
        x = self.embed_tokens(input_ids)
        mask = sdpa_mask(input_ids.shape[0], torch.arange(input_ids.shape[1]), input_ids.shape[1], attention_mask)
        for layer in self.layers:
            x = self.norm(x + layer(x, mask))
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastGemma4Model().eval()
    input_ids = torch.tensor([[0, 0, 0, 4, 8, 15], [16, 23, 42, 4, 8, 15]])
    attention_mask = (input_ids != 0).long()
    mask = sdpa_mask(2, torch.arange(6), 6, attention_mask)
    with torch.no_grad():
        out = model(input_ids, attention_mask)
    print(f"query rows with no attendable key: {int((~mask.any(-1)).sum())}; NaN on this CPU backend: {int(torch.isnan(out).sum())}")
