"""Port of a BERT-style eager attention to SDPA with a hand-made extended mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    ext = attention_mask[:, None, None, :].to(torch.bool)
    return torch.where(ext, torch.tensor(float("-inf"), dtype=dtype), torch.tensor(0.0, dtype=dtype))


class SelfAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)

    def split(self, t):
        B, T, C = t.shape
        return t.view(B, T, self.heads, C // self.heads).transpose(1, 2)

    def forward(self, hidden_states, extended_mask):
        q, k, v = self.split(self.query(hidden_states)), self.split(self.key(hidden_states)), self.split(self.value(hidden_states))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended_mask)
        B, H, T, D = ctx.shape
        return ctx.transpose(1, 2).reshape(B, T, H * D)


class Encoder(nn.Module):
    def __init__(self, vocab=100, hidden=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(SelfAttention(hidden) for _ in range(2))

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids)
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = h + layer(
                h,
                ext,  # expect: ML103
            )
        return h


if __name__ == "__main__":
    enc = Encoder()
    out = enc(torch.tensor([[1, 2, 3, 0], [4, 5, 6, 7]]), torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]]))
    print("sample 1 (no padding) lost all attention:", out[1].norm().item())
