import torch
import torch.nn.functional as F
from torch import nn


class PaliGemmaWithExpertAttention(nn.Module):
    def __init__(self, hidden=32, num_att_heads=4, num_key_value_heads=1):
        super().__init__()
        self.num_att_heads, self.num_kv = num_att_heads, num_key_value_heads
        self.head_dim = hidden // num_att_heads
        self.q = nn.Linear(hidden, hidden, bias=False)
        self.kv = nn.Linear(hidden, 2 * self.head_dim * num_key_value_heads, bias=False)
        self.o = nn.Linear(hidden, hidden, bias=False)

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        num_key_value_groups = self.num_att_heads // self.num_kv
        key_states = key_states.repeat_interleave(num_key_value_groups, dim=2)
        value_states = value_states.repeat_interleave(num_key_value_groups, dim=2)
        query_states, key_states = query_states.transpose(1, 2), key_states.transpose(1, 2)
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * head_dim ** -0.5
        big_neg = -2.3819763e38  # See gemma/modules.py
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)  # BUG
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=value_states.dtype)
        att_output = torch.matmul(probs, value_states.transpose(1, 2))
        return att_output.transpose(1, 2).reshape(batch_size, -1, self.num_att_heads * head_dim)

    def forward(self, x, attention_mask):
        b, n, _ = x.shape
        q = self.q(x).view(b, n, self.num_att_heads, self.head_dim)
        k, v = self.kv(x).view(b, n, 2 * self.num_kv, self.head_dim).chunk(2, dim=2)
        return self.o(self.eager_attention_forward(attention_mask, b, self.head_dim, q, k, v))


def make_att_2d_masks(pad_masks, att_masks):
    """prefix-LM style: tokens attend to all tokens with a cumulative block id <= their own."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d = cumsum[:, None, :] <= cumsum[:, :, None]
    return att_2d & (pad_masks[:, None, :] & pad_masks[:, :, None])


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = PaliGemmaWithExpertAttention()
    pad = torch.tensor([[1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 0, 0]]).bool()
    att = torch.tensor([[0, 0, 0, 1, 1, 1], [0, 0, 0, 1, 1, 1]])
    mask = make_att_2d_masks(pad, att)
    x = torch.randn(2, 6, 32)
    print("fp32:", layer(x, mask).shape)
    with torch.autocast(device_type="cpu", dtype=torch.float16):  # use_amp=True on the robot
        out = layer(x, mask)
    print("amp:", out.dtype, "nan:", torch.isnan(out).any().item())
