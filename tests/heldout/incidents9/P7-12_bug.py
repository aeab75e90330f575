from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TransformerEncoderLayer(nn.Module):
    def __init__(self, embed_dim=32, heads=4, ffn_dim=64):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1, self.fc2 = nn.Linear(embed_dim, ffn_dim), nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)

    def forward(self, x, encoder_padding_mask: Optional[Tensor], attn_mask: Optional[Tensor] = None):
        # anything in original attn_mask = 1, becomes -1e8
        # anything in original attn_mask = 0, becomes 0
        # Note that we cannot use -inf here, because at some edge cases,
        # the attention weight (before softmax) for some padded element in query
        # will become -inf, which results in NaN in model parameters
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)  # BUG
        residual = x
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask, attn_mask=attn_mask)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


class Encoder(nn.Module):
    def __init__(self, num_layers=2, embed_dim=32):
        super().__init__()
        self.layers = nn.ModuleList(TransformerEncoderLayer(embed_dim) for _ in range(num_layers))

    def forward(self, x, padding_mask, attn_mask):
        for layer in self.layers:
            x = layer(x, padding_mask, attn_mask=attn_mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    T, B = 6, 2
    encoder = Encoder().half()  # --fp16
    x = torch.randn(T, B, 32).half()
    padding_mask = torch.zeros(B, T, dtype=torch.bool)
    i = torch.arange(T)
    local = ((i[:, None] - i[None, :]).abs() > 2).to(x.dtype)  # 1 = do not attend
    with torch.no_grad():
        out = encoder(x, padding_mask, local)
    print(out.shape, out.dtype)
