"""PaliGemma-style prefix-LM attention used by a robot policy (eager implementation)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def make_att_2d_masks(pad_masks, att_masks):
    """Copied from big_vision: a token can attend to valid tokens whose cumulative
    mask_ar is <= its own.

    pad_masks: bool (B, N), True if part of the input; att_masks: int (B, N), 1 where a
    new causal block starts."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class EagerAttention(nn.Module):
    def __init__(self, width=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = width // num_heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.o_proj = nn.Linear(width, width, bias=False)

    def forward(self, x, att_2d_masks):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        att_weights = torch.matmul(q, k.transpose(2, 3)) * self.head_dim ** -0.5
        big_neg = -2.3819763e38  # See gemma/modules.py
        masked_att_weights = torch.where(att_2d_masks[:, None, :, :], att_weights, big_neg)  # BUG: -2.38e38 is -inf in float16, so fully padded rows softmax to NaN; use torch.finfo(att_weights.dtype).min
        probs = F.softmax(masked_att_weights, dim=-1).to(v.dtype)
        out = torch.matmul(probs, v).transpose(1, 2).reshape(b, n, d)
        return self.o_proj(out)


class PrefixPolicy(nn.Module):
    """Image + language prefix (bidirectional), then action tokens (causal)."""

    def __init__(self, width=32, depth=2, action_dim=6):
        super().__init__()
        self.img_proj = nn.Linear(16, width)
        self.lang_emb = nn.Embedding(40, width)
        self.action_in = nn.Linear(action_dim, width)
        self.layers = nn.ModuleList([EagerAttention(width) for _ in range(depth)])
        self.norms = nn.ModuleList([nn.LayerNorm(width) for _ in range(depth)])
        self.action_out = nn.Linear(width, action_dim)

    def forward(self, img_feats, lang_tokens, lang_masks, noisy_actions):
        b, n_img, _ = img_feats.shape
        n_act = noisy_actions.shape[1]
        x = torch.cat([self.img_proj(img_feats), self.lang_emb(lang_tokens), self.action_in(noisy_actions)], dim=1)
        pad = torch.cat([torch.ones(b, n_img, dtype=torch.bool), lang_masks, torch.ones(b, n_act, dtype=torch.bool)], 1)
        ar = torch.zeros(b, pad.shape[1], dtype=torch.long)
        ar[:, -n_act:] = 1
        att_2d = make_att_2d_masks(pad, ar)
        for attn, norm in zip(self.layers, self.norms):
            x = x + attn(norm(x), att_2d)
        return self.action_out(x[:, -n_act:])
