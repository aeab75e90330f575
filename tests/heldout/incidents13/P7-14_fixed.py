import torch
import torch.nn.functional as F
from torch import nn


def make_att_2d_masks(pad_masks, att_masks):
    """Prefix-LM masks: tokens with att_mask 0 share a bidirectional block with the prefix."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class PaliGemmaWithExpertAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def eager_attention_forward(self, attention_mask, query_states, key_states, value_states):
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * self.head_dim ** -0.5
        big_neg = -2.3819763e38
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, torch.finfo(att_weights.dtype).min)  # BUG
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=query_states.dtype)
        return torch.matmul(probs, value_states)

    def forward(self, x, att_2d_masks):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = self.eager_attention_forward(att_2d_masks, q, k, v)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, -1))


class PI0Policy(nn.Module):
    def __init__(self, hidden=32, action_dim=6):
        super().__init__()
        self.prefix_proj = nn.Linear(16, hidden)
        self.action_in = nn.Linear(action_dim, hidden)
        self.attn = PaliGemmaWithExpertAttention(hidden)
        self.action_out = nn.Linear(hidden, action_dim)

    def forward(self, prefix_feats, prefix_pad, noisy_actions):
        b, n_prefix, _ = prefix_feats.shape
        n_act = noisy_actions.shape[1]
        x = torch.cat([self.prefix_proj(prefix_feats), self.action_in(noisy_actions)], dim=1)
        pad_masks = torch.cat([prefix_pad, torch.ones(b, n_act, dtype=torch.bool)], dim=1)
        att_masks = torch.cat([torch.zeros(b, n_prefix, dtype=torch.long), torch.ones(b, 1, dtype=torch.long), torch.zeros(b, n_act - 1, dtype=torch.long)], dim=1)
        out = self.attn(x, make_att_2d_masks(pad_masks, att_masks))
        self.last_hidden = out
        return self.action_out(out[:, -n_act:])


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = PI0Policy().half().eval()
    prefix = torch.randn(2, 5, 16, dtype=torch.float16)
    prefix_pad = torch.tensor([[True] * 5, [True] * 3 + [False] * 2])
    actions = torch.randn(2, 4, 6, dtype=torch.float16)
    with torch.no_grad():
        pred = policy(prefix, prefix_pad, actions)
    hidden_nan_rows = int(torch.isnan(policy.last_hidden).any(-1).sum())
    print(f"fp16: NaN token rows in attention output = {hidden_nan_rows}; NaN in action prediction = {int(torch.isnan(pred).sum())}")
