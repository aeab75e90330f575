import torch
import torch.nn as nn
import torch.nn.functional as F


def make_att_2d_masks(pad_masks: torch.Tensor, att_masks: torch.Tensor) -> torch.Tensor:
    """Prefix-LM style mask: tokens attend to every earlier block; pad tokens are excluded."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d = pad_masks[:, None, :] & pad_masks[:, :, None]
    return att_2d & pad_2d


class PaliGemmaWithExpertAttention(nn.Module):
    def __init__(self, hidden=1024, num_heads=8, head_dim=128):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, head_dim
        self.q = nn.Linear(hidden, num_heads * head_dim, bias=False)
        self.k = nn.Linear(hidden, num_heads * head_dim, bias=False)
        self.v = nn.Linear(hidden, num_heads * head_dim, bias=False)
        self.o = nn.Linear(num_heads * head_dim, hidden, bias=False)

    def eager_attention_forward(self, attention_mask, query_states, key_states, value_states):
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * self.head_dim ** -0.5
        big_neg = -2.3819763e38
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)  # BUG: overflows fp16
        probs = F.softmax(masked_att_weights, dim=-1).to(value_states.dtype)
        return torch.matmul(probs, value_states)

    def forward(self, x, attention_mask):
        B, L, _ = x.shape
        q, k, v = (p(x).view(B, L, self.num_heads, self.head_dim).transpose(1, 2) for p in (self.q, self.k, self.v))
        out = self.eager_attention_forward(attention_mask, q, k, v)
        return self.o(out.transpose(1, 2).reshape(B, L, -1))


if __name__ == "__main__":
    layer = PaliGemmaWithExpertAttention().cuda()
    prefix, suffix = 48, 16
    pad = torch.ones(2, prefix + suffix, dtype=torch.bool, device="cuda")
    pad[1, 40:prefix] = False
    att = torch.cat([torch.zeros(2, prefix), torch.ones(2, suffix)], dim=1).long().cuda()
    mask = make_att_2d_masks(pad, att)
    with torch.autocast("cuda", dtype=torch.float16):
        print(layer(torch.randn(2, prefix + suffix, 1024, device="cuda"), mask).shape)
