"""Cross-modal encoder in the style of ArrowLuo/CLIP4Clip (modules/module_cross.py):
CLIP-like residual attention blocks, seq-first nn.MultiheadAttention, per-sample 3D masks."""
from collections import OrderedDict
import torch
import torch.nn as nn
import torch.nn.functional as F


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model)),
        ]))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x, attn_mask):
        attn_mask_ = attn_mask.repeat_interleave(self.n_head, dim=0)
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple: tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x, attn_mask):
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, hidden_size=32, num_layers=2, num_heads=4, max_pos=32):
        super().__init__()
        self.position_embeddings = nn.Embedding(max_pos, hidden_size)
        self.type_embeddings = nn.Embedding(2, hidden_size)
        self.transformer = Transformer(hidden_size, num_layers, num_heads)
        self.pooler = nn.Linear(hidden_size, hidden_size)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = attention_mask.unsqueeze(1)
        extended_attention_mask = extended_attention_mask.to(dtype=self.pooler.weight.dtype)
        extended_attention_mask = (1.0 - extended_attention_mask) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input, concat_type, attention_mask):
        pos = torch.arange(concat_input.size(1))
        x = concat_input + self.position_embeddings(pos)[None] + self.type_embeddings(concat_type)
        extended_attention_mask = self.build_attention_mask(attention_mask)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x, extended_attention_mask)
        x = x.permute(1, 0, 2)
        return torch.tanh(self.pooler(x[:, 0]))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel()
    text = torch.randn(3, 6, 32)
    video = torch.randn(3, 5, 32)
    text_mask = torch.tensor([[1] * 6, [1] * 3 + [0] * 3, [1] * 4 + [0] * 2])
    video_mask = torch.tensor([[1] * 5, [1] * 2 + [0] * 3, [1] * 5])
    concat_input = torch.cat([text, video], dim=1)
    concat_type = torch.cat([torch.zeros(3, 6, dtype=torch.long), torch.ones(3, 5, dtype=torch.long)], dim=1)
    concat_mask = torch.cat([text_mask, video_mask], dim=1)
    pooled = model(concat_input, concat_type, concat_mask)
    logits = nn.Linear(32, 1)(pooled).squeeze(-1)
    loss = F.binary_cross_entropy_with_logits(logits, torch.tensor([1.0, 0.0, 1.0]))
    loss.backward()
    print("loss", loss.item())
