"""Cross-modal (text + frame) fusion transformer; CLIP-style blocks operating on (L, N, D)."""
import torch
from torch import nn


class QuickGELU(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x * torch.sigmoid(1.702 * x)


class ResidualAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_head: int):
        super().__init__()
        self.attn = nn.MultiheadAttention(d_model, n_head)
        self.ln_1 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, d_model * 4), QuickGELU(), nn.Linear(d_model * 4, d_model))
        self.ln_2 = nn.LayerNorm(d_model)
        self.n_head = n_head

    def attention(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        attn_mask_ = attn_mask.repeat(self.n_head, 1, 1)  # BUG
        return self.attn(x, x, x, need_weights=False, attn_mask=attn_mask_)[0]

    def forward(self, para_tuple):
        x, attn_mask = para_tuple
        x = x + self.attention(self.ln_1(x), attn_mask)
        x = x + self.mlp(self.ln_2(x))
        return (x, attn_mask)


class CrossTransformer(nn.Module):
    def __init__(self, width: int, layers: int, heads: int):
        super().__init__()
        self.resblocks = nn.Sequential(*[ResidualAttentionBlock(width, heads) for _ in range(layers)])

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        return self.resblocks((x, attn_mask))[0]


class CrossModel(nn.Module):
    def __init__(self, hidden_size: int = 512, num_layers: int = 4, num_heads: int = 8, max_pos: int = 128):
        super().__init__()
        self.position_embeddings = nn.Embedding(max_pos, hidden_size)
        self.token_type_embeddings = nn.Embedding(2, hidden_size)
        self.transformer = CrossTransformer(hidden_size, num_layers, num_heads)
        self.pooler = nn.Sequential(nn.Linear(hidden_size, hidden_size), nn.Tanh())

    def build_attention_mask(self, attention_mask: torch.Tensor) -> torch.Tensor:
        # (N, L) 1/0 -> (N, L, L) additive: every query row hides the padded keys of its own sample
        extended = (1.0 - attention_mask.unsqueeze(1).float()) * -1000000.0
        return extended.expand(-1, attention_mask.size(1), -1)

    def forward(self, concat_input: torch.Tensor, concat_type: torch.Tensor, attention_mask: torch.Tensor):
        positions = torch.arange(concat_input.size(1), device=concat_input.device)
        x = concat_input + self.position_embeddings(positions) + self.token_type_embeddings(concat_type)
        x = x.permute(1, 0, 2)  # NLD -> LND
        x = self.transformer(x, self.build_attention_mask(attention_mask))
        x = x.permute(1, 0, 2)  # LND -> NLD
        return x, self.pooler(x[:, 0])
