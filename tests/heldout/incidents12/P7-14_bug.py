import torch
import torch.nn.functional as F
from torch import nn


def make_att_2d_masks(pad_masks, att_masks):
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class PaliGemmaWithExpertModel(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.head_dim = hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.o_proj = nn.Linear(hidden, hidden)

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * head_dim ** -0.5
        big_neg = -2.3819763e38  # BUG
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=query_states.dtype)
        att_output = torch.matmul(probs, value_states)
        return att_output.transpose(1, 2).reshape(batch_size, -1, self.heads * head_dim)

    def forward(self, inputs_embeds, attention_mask):
        b, n, d = inputs_embeds.shape
        q, k, v = self.qkv(inputs_embeds).view(b, n, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = self.eager_attention_forward(attention_mask, b, self.head_dim, q, k, v)
        return self.o_proj(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PaliGemmaWithExpertModel()
    prefix_pad = torch.tensor([[True, True, True, False, False, True, True], [True] * 7])
    att_masks = torch.tensor([[0, 0, 0, 0, 0, 1, 1]] * 2)
    att_2d = make_att_2d_masks(prefix_pad, att_masks)
    embeds = torch.randn(2, 7, 32)
    with torch.autocast("cpu", dtype=torch.float16):
        out = model(embeds, att_2d)
    print(f"AMP fp16: NaN outputs {int(torch.isnan(out).sum())} (rows {int(torch.isnan(out).any(-1).sum())})")
