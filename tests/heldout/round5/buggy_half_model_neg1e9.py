"""Inference server for a half-precision retrieval encoder (bi-encoder, mean pooling)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def additive_padding_bias(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """(B, S) HF mask (1 = token) -> (B, 1, 1, S) additive bias."""
    bias = torch.zeros(attention_mask.shape, dtype=dtype, device=attention_mask.device)
    bias.masked_fill_(attention_mask == 0, -1e9)  # expect: ML205
    return bias[:, None, None, :]


class Layer(nn.Module):
    def __init__(self, d=256, h=8):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)
        self.o = nn.Linear(d, d)
        self.ln = nn.LayerNorm(d)

    def forward(self, x, bias):
        B, S, D = x.shape
        q, k, v = self.qkv(self.ln(x)).view(B, S, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return x + self.o(y.transpose(1, 2).reshape(B, S, D))


class BiEncoder(nn.Module):
    def __init__(self, vocab=30000, d=256, depth=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(Layer(d) for _ in range(depth))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids)
        bias = additive_padding_bias(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, bias)
        m = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * m).sum(1) / m.sum(1), dim=-1)


if __name__ == "__main__":
    model = BiEncoder().half().eval()
    ids = torch.randint(0, 30000, (2, 12))
    am = torch.ones(2, 12, dtype=torch.long)
    am[1, 7:] = 0
    try:
        with torch.no_grad():
            print(model(ids, am).float().norm(dim=-1))
    except RuntimeError as e:
        print("error:", e)
