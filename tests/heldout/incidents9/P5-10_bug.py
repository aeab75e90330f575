from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TransformerEncoderLayer(nn.Module):
    """Encoder layer block (post-norm), fairseq style: inputs are (seq_len, batch, embed_dim)."""

    def __init__(self, embed_dim=32, heads=4, ffn_dim=64, dropout=0.0):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(embed_dim, heads, dropout=dropout)
        self.self_attn_layer_norm = nn.LayerNorm(embed_dim)
        self.fc1 = nn.Linear(embed_dim, ffn_dim)
        self.fc2 = nn.Linear(ffn_dim, embed_dim)
        self.final_layer_norm = nn.LayerNorm(embed_dim)
        self.dropout = dropout

    def forward(self, x, encoder_padding_mask: Tensor, attn_mask: Optional[Tensor] = None):
        """
        Args:
            encoder_padding_mask (ByteTensor): binary (batch, seq_len), 1 = padding element.
            attn_mask (ByteTensor): binary (T_tgt, T_src); attn_mask[t_tgt, t_src] = 1 means
                t_src is excluded (masked out) when computing the embedding for t_tgt.
        """
        residual = x
        if attn_mask is not None:
            attn_mask = attn_mask.masked_fill(attn_mask.to(torch.bool), -1e8)
        x, _ = self.self_attn(query=x, key=x, value=x, key_padding_mask=encoder_padding_mask)  # BUG
        x = F.dropout(x, p=self.dropout, training=self.training)
        x = self.self_attn_layer_norm(residual + x)
        residual = x
        x = self.fc2(F.relu(self.fc1(x)))
        return self.final_layer_norm(residual + x)


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = TransformerEncoderLayer().eval()
    T, B = 6, 2
    x = torch.randn(T, B, 32)
    padding = torch.zeros(B, T, dtype=torch.bool)
    # local attention: every position may only look at neighbours within distance 1
    idx = torch.arange(T)
    local = ((idx[:, None] - idx[None, :]).abs() > 1).float()
    with torch.no_grad():
        out = layer(x, padding, attn_mask=local)
        x2 = x.clone()
        x2[-1] = torch.randn(B, 32)
        out2 = layer(x2, padding, attn_mask=local)
    print(out.shape)
    print("position 0 sees position 5:", (out2 - out)[0].abs().max().item())
