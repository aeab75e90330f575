import torch
import torch.nn.functional as F
from torch import nn


def make_att_2d_masks(pad_masks, att_masks):
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


class PaliGemmaWithExpertModel(nn.Module):
    def __init__(self, hidden=32, heads=4, layers=2):
        super().__init__()
        self.num_att_heads = heads
        self.head_dim = hidden // heads
        self.qkv = nn.ModuleList(nn.Linear(hidden, 3 * hidden, bias=False) for _ in range(layers))
        self.o_proj = nn.ModuleList(nn.Linear(hidden, hidden, bias=False) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))

    def eager_attention_forward(self, attention_mask, batch_size, head_dim, query_states, key_states, value_states):
        query_states = query_states.transpose(1, 2)
        key_states = key_states.transpose(1, 2)
        att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * head_dim ** -0.5
        big_neg = torch.finfo(att_weights.dtype).min
        masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
        probs = F.softmax(masked_att_weights, dim=-1).to(dtype=value_states.dtype)
        att_output = torch.matmul(probs, value_states.permute(0, 2, 1, 3))
        return att_output.permute(0, 2, 1, 3).reshape(batch_size, -1, self.num_att_heads * head_dim)

    def forward(self, inputs_embeds, attention_mask):
        h = inputs_embeds
        b, s, _ = h.shape
        for qkv, o, norm in zip(self.qkv, self.o_proj, self.norms):
            q, k, v = qkv(norm(h)).view(b, s, 3, self.num_att_heads, self.head_dim).unbind(2)
            h = h + o(self.eager_attention_forward(attention_mask, b, self.head_dim, q, k, v))
        return h


class PI0FlowMatching(nn.Module):
    def __init__(self, hidden=32):
        super().__init__()
        self.paligemma_with_expert = PaliGemmaWithExpertModel(hidden)
        self.action_out_proj = nn.Linear(hidden, 6)

    def forward(self, prefix_embs, prefix_pad_masks, suffix_embs):
        b, n_suffix = suffix_embs.shape[:2]
        embs = torch.cat([prefix_embs, suffix_embs], dim=1)
        pad_masks = torch.cat([prefix_pad_masks, torch.ones(b, n_suffix, dtype=torch.bool)], dim=1)
        att_masks = torch.cat([torch.zeros_like(prefix_pad_masks, dtype=torch.long), torch.ones(b, n_suffix, dtype=torch.long)], dim=1)
        att_2d_masks = make_att_2d_masks(pad_masks, att_masks)
        out = self.paligemma_with_expert(embs, att_2d_masks)
        return self.action_out_proj(out[:, -n_suffix:])


if __name__ == "__main__":
    torch.manual_seed(0)
    policy = PI0FlowMatching().half().eval()
    prefix = torch.randn(2, 6, 32).half()
    prefix_pad = torch.tensor([[True] * 4 + [False] * 2, [True] * 6])
    suffix = torch.randn(2, 3, 32).half()
    try:
        with torch.no_grad():
            actions = policy(prefix, prefix_pad, suffix)
        print(f"NaN action values (fp16): {torch.isnan(actions).sum().item()} of {actions.numel()}")
    except RuntimeError as e:
        print(f"raised RuntimeError: {e}")
