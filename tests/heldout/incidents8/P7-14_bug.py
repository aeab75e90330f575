import torch
import torch.nn.functional as F
from torch import nn


def make_att_2d_masks(pad_masks, att_masks):
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class PaliGemmaWithExpertModel(nn.Module):
    def __init__(self, hidden=64, num_heads=4):
        super().__init__()
        self.num_heads, self.head_dim = num_heads, hidden // num_heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.o_proj = nn.Linear(hidden, hidden)

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        query_states = query_states.transpose(1, 2)
        key_states = key_states.transpose(1, 2)
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3))
        att_weights *= head_dim**-0.5
        big_neg = -2.3819763e38  # BUG
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)  # BUG
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=value_states.dtype)
        att_output = torch.matmul(probs, value_states.permute(0, 2, 1, 3))
        return att_output.permute(0, 2, 1, 3).reshape(batch_size, -1, self.num_heads * head_dim)

    def forward(self, inputs_embeds, attention_mask):
        b, n, _ = inputs_embeds.shape
        q, k, v = self.qkv(inputs_embeds).view(b, n, 3, self.num_heads, self.head_dim).unbind(2)
        out = self.eager_attention_forward(attention_mask, b, self.head_dim, q, k, v)
        return self.o_proj(out)


if __name__ == "__main__":
    model = PaliGemmaWithExpertModel().half()
    prefix_len, suffix_len = 6, 4
    pad_masks = torch.ones(2, prefix_len + suffix_len, dtype=torch.bool)
    pad_masks[1, 4:6] = False
    att_masks = torch.tensor([0] * prefix_len + [1] + [0] * (suffix_len - 1))[None].expand(2, -1)
    att_2d = make_att_2d_masks(pad_masks, att_masks)
    x = torch.randn(2, prefix_len + suffix_len, 64).half()
    with torch.autocast("cpu", dtype=torch.float16):
        out = model(x, att_2d)
    print(out.shape, torch.isnan(out).any().item())
