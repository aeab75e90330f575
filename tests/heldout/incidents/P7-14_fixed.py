import torch
from torch import nn


class PaliGemmaWithExpertModel(nn.Module):
    """Joint attention over the VLM prefix tokens and the action-expert suffix tokens."""

    def __init__(self, hidden_size=8, num_heads=2):
        super().__init__()
        self.num_att_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.qkv = nn.Linear(hidden_size, 3 * hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        # query/key/value: (batch, seq, heads, head_dim); attention_mask: (batch, q, kv) bool, True = attend
        query_states = query_states.to(dtype=torch.float32)
        key_states = key_states.to(dtype=torch.float32)
        att_weights = torch.matmul(query_states.transpose(1, 2), key_states.transpose(1, 2).transpose(2, 3))
        att_weights *= head_dim ** -0.5
        big_neg = torch.finfo(att_weights.dtype).min
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
        probs = nn.functional.softmax(masked_att_weights, dim=-1)
        probs = probs.to(dtype=value_states.dtype)
        att_output = torch.matmul(probs, value_states.permute(0, 2, 1, 3))
        return att_output.permute(0, 2, 1, 3).reshape(batch_size, -1, self.num_att_heads * head_dim)

    def forward(self, embs, att_2d_masks):
        b, t, _ = embs.shape
        q, k, v = self.qkv(embs).view(b, t, 3, self.num_att_heads, self.head_dim).unbind(2)
        out = self.eager_attention_forward(att_2d_masks, b, self.head_dim, q, k, v)
        return self.o_proj(out)


def make_att_2d_masks(pad_masks, att_masks):
    """Prefix-LM style mask: tokens attend to every token whose cumulative block index is <= theirs."""
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


def run():
    model = PaliGemmaWithExpertModel()
    embs = torch.randn(2, 5, 8)
    pad_masks = torch.tensor([[True] * 5, [True] * 4 + [False]])
    att_masks = torch.tensor([[0, 0, 1, 1, 1], [0, 0, 1, 1, 1]])
    masks = make_att_2d_masks(pad_masks, att_masks)
    with torch.autocast(device_type="cpu", dtype=torch.float16), torch.no_grad():  # inference with AMP
        return model(embs, masks)
