from dataclasses import dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class TransformerBackboneConfig:
    hidden_size: int = 16
    num_attention_heads: int = 4
    num_hidden_layers: int = 1


class SelfAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.n_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.qkv = nn.Linear(config.hidden_size, 3 * config.hidden_size)
        self.out = nn.Linear(config.hidden_size, config.hidden_size)

    def forward(self, x, attention_mask=None):
        B, S, _ = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.n_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.out(y.transpose(1, 2).reshape(B, S, -1))


class StateTransitionModel(nn.Module):
    def __init__(self, config, mask_attn=True):
        super().__init__()
        self.config = config
        self.mask_attn = mask_attn
        self.layers = nn.ModuleList(SelfAttention(config) for _ in range(config.num_hidden_layers))

    def build_set_mask(self, set_ids):
        B, S = set_ids.shape
        valid = torch.ones(B, S, S)  # BUG
        same_set = set_ids[:, :, None] == set_ids[:, None, :]
        mask = valid & same_set
        num_heads = self.config.num_attention_heads
        return mask  # BUG

    def forward(self, cell_embs, set_ids):
        attention_mask = self.build_set_mask(set_ids) if self.mask_attn else None
        h = cell_embs
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        return h


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StateTransitionModel(TransformerBackboneConfig())
    cells = torch.randn(2, 6, 16)
    set_ids = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]])
    try:
        out = model(cells, set_ids)
        cells2 = cells.clone()
        cells2[:, 3:] += 1.0
        out2 = model(cells2, set_ids)
        print(f"set 0 of sample 0 influenced by other sets: {(out[0, :3] - out2[0, :3]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
