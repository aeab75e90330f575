"""lerobot pi0 paligemma_with_expert.py style eager attention under fp16.
The masked logits are filled with the float32 constant -2.3819763e38, which
does not fit fp16: torch 2.13 on CPU silently turns it into -inf (the
reported runtime raised an overflow RuntimeError)."""
import torch
import torch.nn.functional as F
from torch import nn


class PaliGemmaWithExpertModel(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * head_dim ** -0.5
        big_neg = -2.3819763e38  # BUG
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
        self.inf_logits = int(masked_att_weights.isinf().sum())
        probs = F.softmax(masked_att_weights, dim=-1).to(value_states.dtype)
        return torch.matmul(probs, value_states)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = self.eager_attention_forward(attention_mask, b, self.head_dim, q, k, v)
        return self.o_proj(out.transpose(1, 2).reshape(b, s, d))


def make_att_2d_masks(pad_masks, att_masks):
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d & pad_2d


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PaliGemmaWithExpertModel().half()
    pad_masks = torch.ones(2, 6, dtype=torch.bool)
    att_masks = torch.tensor([[0, 0, 0, 1, 1, 1]] * 2)  # prefix-LM: image/text prefix, then action tokens
    mask = make_att_2d_masks(pad_masks, att_masks)
    with torch.no_grad():
        out = model(torch.randn(2, 6, 32, dtype=torch.float16), mask)
    print("masked logits that overflowed to -inf:", model.inf_logits, "| NaN:", bool(out.isnan().any()))
