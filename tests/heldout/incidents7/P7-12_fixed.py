"""Seq-first encoder layer in the style of fairseq's TransformerEncoderLayer, where a 0/1
attn_mask is turned into an additive mask inside the layer; the model runs in half precision."""
from typing import Optional
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import Tensor


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, attn_mask: Optional[Tensor] = None):
        """attn_mask: (T, T) with 1 at positions that are not attended"""
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8 if x.dtype == torch.float32 else -1e4)
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, attn_mask=attn_mask, need_weights=False)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        return self.final_layer_norm(residual + self.fc2(F.relu(self.fc1(x))))


class ChunkedEncoder(nn.Module):
    """Each position attends only inside its own chunk of `chunk` tokens."""

    def __init__(self, vocab=100, embed_dim=32, layers=2, chunk=4):
        super().__init__()
        self.chunk = chunk
        self.embed_tokens = nn.Embedding(vocab, embed_dim)
        self.layers = nn.ModuleList([TransformerEncoderLayer(embed_dim) for _ in range(layers)])
        self.out = nn.Linear(embed_dim, vocab)

    def chunk_mask(self, T, dtype):
        c = torch.arange(T) // self.chunk
        return (c[:, None] != c[None, :]).to(dtype)

    def forward(self, src_tokens):
        x = self.embed_tokens(src_tokens).transpose(0, 1)
        for layer in self.layers:
            x = layer(x, attn_mask=self.chunk_mask(x.size(0), x.dtype))
        return self.out(x).transpose(0, 1)


@torch.no_grad()
def infer_fp16(model, tokens):
    model = model.half().eval()
    return model(tokens).float().argmax(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChunkedEncoder()
    tokens = torch.randint(0, 100, (2, 12))
    loss = F.cross_entropy(model(tokens).reshape(-1, 100), tokens.reshape(-1))
    loss.backward()
    print("fp32 loss", loss.item())
    print(infer_fp16(model, tokens))
