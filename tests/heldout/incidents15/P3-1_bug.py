from collections import OrderedDict

import torch
from torch import nn


class LayerNorm(nn.LayerNorm):
    def forward(self, x):
        orig_type = x.dtype
        ret = super().forward(x.type(torch.float32))
        return ret.type(orig_type)


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = LayerNorm(d_model)
        self.mlp = nn.Sequential(OrderedDict([
            ("c_fc", nn.Linear(d_model, d_model * 4)),
            ("gelu", QuickGELU()),
            ("c_proj", nn.Linear(d_model * 4, d_model))
        ]))
        self.ln_2 = LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor):
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)  # BUG
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple: tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class Transformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.width = width
        self.layers = layers
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor):
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, hidden_size=16, num_hidden_layers=2, num_attention_heads=4):
        super().__init__()
        self.transformer = Transformer(width=hidden_size, layers=num_hidden_layers, heads=num_attention_heads)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        extended_attention_mask = extended_attention_mask.expand(-1, attention_mask.size(1), -1)
        return extended_attention_mask

    def forward(self, concat_input, attention_mask):
        extended_attention_mask = self.build_attention_mask(attention_mask)
        embedding_output = concat_input.permute(1, 0, 2)  # NLD -> LND
        embedding_output = self.transformer(embedding_output, extended_attention_mask)
        return embedding_output.permute(1, 0, 2)  # LND -> NLD


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel().eval()
    concat_input = torch.randn(2, 6, 16)
    attention_mask = torch.tensor([[1., 1., 1., 1., 1., 1.], [1., 1., 1., 0., 0., 0.]])
    with torch.no_grad():
        batched = model(concat_input, attention_mask)
        alone = model(concat_input[1:], attention_mask[1:])
    print(f"sample 1: batched vs alone max diff: {(batched[1, :3] - alone[0, :3]).abs().max().item():.4f}")
