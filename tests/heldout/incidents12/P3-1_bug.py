from collections import OrderedDict

import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x):
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model, n_head):
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
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)  # BUG
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class Transformer(nn.Module):
    def __init__(self, width, layers, heads):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x, attn_mask):
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, hidden_size=32, num_layers=2, num_heads=4, max_pos=64):
        super().__init__()
        self.position_embeddings = nn.Embedding(max_pos, hidden_size)
        self.token_type_embeddings = nn.Embedding(2, hidden_size)
        self.transformer = Transformer(hidden_size, num_layers, num_heads)

    def build_attention_mask(self, attention_mask):
        extended_attention_mask = (1.0 - attention_mask.unsqueeze(1)) * -1000000.0
        return extended_attention_mask.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input, concat_type, attention_mask):
        extended_attention_mask = self.build_attention_mask(attention_mask)
        pos = self.position_embeddings(torch.arange(concat_input.size(1)))[None]
        x = concat_input + pos + self.token_type_embeddings(concat_type)
        x = x.permute(1, 0, 2)
        x = self.transformer(x, extended_attention_mask)
        return x.permute(1, 0, 2)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CrossModel().eval()
    feats = torch.randn(3, 10, 32)
    types = torch.cat([torch.zeros(3, 4, dtype=torch.long), torch.ones(3, 6, dtype=torch.long)], 1)
    mask = torch.ones(3, 10)
    mask[1, 7:] = 0.0
    mask[2, 5:] = 0.0
    with torch.no_grad():
        batched = model(feats, types, mask)
        alone = model(feats[:1], types[:1], mask[:1])
    print(f"sample 0: batched vs alone max |diff| = {(batched[0] - alone[0]).abs().max().item():.4f}")
