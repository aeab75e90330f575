import torch
import torch.nn as nn
import torch.nn.functional as F


def make_att_2d_masks(pad_masks, att_masks):
    cumsum = torch.cumsum(att_masks, dim=1)
    att_2d_masks = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d_masks = pad_masks[:, None, :] * pad_masks[:, :, None]
    return att_2d_masks & pad_2d_masks


def eager_attention_forward(attention_mask, batch_size, head_dim, query_states, key_states, value_states):
    query_states = query_states.transpose(1, 2)
    key_states = key_states.transpose(1, 2)
    att_weights = torch.matmul(query_states, key_states.transpose(2, 3)) * head_dim ** -0.5
    big_neg = torch.finfo(att_weights.dtype).min
    masked_att_weights = torch.where(attention_mask[:, None, :, :], att_weights, big_neg)
    probs = F.softmax(masked_att_weights, dim=-1).to(dtype=value_states.dtype)
    att_output = torch.matmul(probs, value_states.permute(0, 2, 1, 3))
    return att_output.permute(0, 2, 1, 3).reshape(batch_size, -1, query_states.shape[1] * head_dim)


ATTENTION_INTERFACES = {"eager": eager_attention_forward}


class PaliGemmaWithExpert(nn.Module):
    def __init__(self, width=64, heads=4, attention_implementation="eager"):
        super().__init__()
        self.heads, self.head_dim = heads, width // heads
        self.qkv = nn.Linear(width, 3 * width, bias=False)
        self.o_proj = nn.Linear(width, width, bias=False)
        self.attention_fn = ATTENTION_INTERFACES[attention_implementation]

    def forward(self, embs, attention_mask):
        b, n, _ = embs.shape
        q, k, v = self.qkv(embs).view(b, n, 3, self.heads, self.head_dim).unbind(2)
        return self.o_proj(self.attention_fn(attention_mask, b, self.head_dim, q, k, v))


class PI0FlowMatching(nn.Module):
    def __init__(self, width=64, action_dim=7, n_action_steps=4):
        super().__init__()
        self.n_action_steps = n_action_steps
        self.action_in_proj = nn.Linear(action_dim, width)
        self.action_out_proj = nn.Linear(width, action_dim)
        self.backbone = PaliGemmaWithExpert(width)

    def embed_suffix(self, noisy_actions):
        embs = self.action_in_proj(noisy_actions)
        pad = torch.ones(embs.shape[:2], dtype=torch.bool, device=embs.device)
        att = torch.zeros(embs.shape[:2], dtype=torch.long, device=embs.device)
        att[:, 0] = 1
        return embs, pad, att

    def forward(self, prefix_embs, prefix_pad_masks, noisy_actions):
        prefix_att = torch.zeros_like(prefix_pad_masks, dtype=torch.long)
        suffix_embs, suffix_pad, suffix_att = self.embed_suffix(noisy_actions)
        pad_masks = torch.cat([prefix_pad_masks, suffix_pad], dim=1)
        att_masks = torch.cat([prefix_att, suffix_att], dim=1)
        att_2d_masks = make_att_2d_masks(pad_masks, att_masks)
        out = self.backbone(torch.cat([prefix_embs, suffix_embs.to(prefix_embs.dtype)], dim=1), att_2d_masks)
        return self.action_out_proj(out[:, -self.n_action_steps:])


def training_step(policy, batch, device_type="cuda"):
    with torch.autocast(device_type=device_type, dtype=torch.float16):
        v_t = policy(batch["prefix_embs"], batch["prefix_pad_masks"], batch["noisy_actions"])
        return F.mse_loss(v_t.float(), batch["target_velocity"])
