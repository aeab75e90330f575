from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class BackboneConfig:
    hidden_size: int = 32
    num_attention_heads: int = 4
    num_hidden_layers: int = 2


class SelfAttention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.h = cfg.num_attention_heads
        self.d = cfg.hidden_size // cfg.num_attention_heads
        self.qkv = nn.Linear(cfg.hidden_size, 3 * cfg.hidden_size)
        self.o = nn.Linear(cfg.hidden_size, cfg.hidden_size)

    def forward(self, x, attention_mask=None):
        B, S, _ = x.shape
        q, k, v = self.qkv(x).view(B, S, 3, self.h, self.d).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o(out.transpose(1, 2).reshape(B, S, -1))


class Backbone(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.config = cfg
        self.layers = nn.ModuleList([SelfAttention(cfg) for _ in range(cfg.num_hidden_layers)])
        self.norm = nn.LayerNorm(cfg.hidden_size)

    def forward(self, inputs_embeds, attention_mask=None):
        h = inputs_embeds
        for layer in self.layers:
            h = h + layer(self.norm(h), attention_mask)
        return h


class PertSetsPerturbationModel(nn.Module):
    def __init__(self, input_dim=10, cell_sentence_len=6, mask_attn=True):
        super().__init__()
        self.cell_sentence_len = cell_sentence_len
        self.mask_attn = mask_attn
        self.transformer_backbone = Backbone(BackboneConfig())
        self.basal_encoder = nn.Linear(input_dim, 32)
        self.project_out = nn.Linear(32, input_dim)

    def _build_set_mask(self, group_ids):
        same = (group_ids[:, :, None] == group_ids[:, None, :]).float()
        return same

    def forward(self, batch):
        ctrl = batch["ctrl_cell_emb"]
        B, S, _ = ctrl.shape
        seq_input = self.basal_encoder(ctrl)
        attn_mask = None
        if self.mask_attn:
            valid = batch["valid"]
            attn_mask = self._build_set_mask(batch["group_ids"])
            attn_mask = attn_mask & valid[:, None, :]  # BUG
            attn_mask = attn_mask.to(seq_input.device)  # BUG
        res = self.transformer_backbone(seq_input, attention_mask=attn_mask)
        return self.project_out(res)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PertSetsPerturbationModel().eval()
    batch = {
        "ctrl_cell_emb": torch.randn(3, 6, 10),
        "group_ids": torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], [0, 0, 0, 0, 0, 0]]),
        "valid": torch.tensor([[True] * 6, [True] * 5 + [False], [True] * 4 + [False] * 2]),
    }
    try:
        with torch.no_grad():
            out = model(batch)
            moved = dict(batch)
            moved["ctrl_cell_emb"] = batch["ctrl_cell_emb"].clone()
            moved["ctrl_cell_emb"][0, 3:] += 4.0
            out2 = model(moved)
        print(f"group-0 cells change when group-1 cells change: {(out[0, :3] - out2[0, :3]).abs().max().item():.3e}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
