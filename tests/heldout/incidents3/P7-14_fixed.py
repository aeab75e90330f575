import torch
import torch.nn as nn
import torch.nn.functional as F


def make_prefix_lm_mask(pad_masks: torch.Tensor, ar_masks: torch.Tensor) -> torch.Tensor:
    """pad_masks: (B, N) True = real token; ar_masks: (B, N) 1 where a new causal segment starts.

    Tokens with the same cumulative segment index attend bidirectionally; later segments see earlier ones.
    """
    cumsum = torch.cumsum(ar_masks, dim=1)
    att_2d = cumsum[:, None, :] <= cumsum[:, :, None]
    pad_2d = pad_masks[:, None, :] & pad_masks[:, :, None]
    return att_2d & pad_2d


class PrefixAttention(nn.Module):
    def __init__(self, width=128, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(width, 3 * width)
        self.o = nn.Linear(width, width)

    def forward(self, x, att_2d):
        b, n, d = x.shape
        q, k, v = self.qkv(x).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        att_weights = q @ k.transpose(-1, -2) * q.size(-1) ** -0.5
        big_neg = torch.finfo(att_weights.dtype).min
        masked = torch.where(att_2d[:, None], att_weights, big_neg)
        probs = F.softmax(masked, dim=-1)
        return self.o((probs @ v).transpose(1, 2).reshape(b, n, d))


class ActionExpertPolicy(nn.Module):
    def __init__(self, obs_dim=64, width=128, action_dim=7, horizon=8):
        super().__init__()
        self.obs_proj = nn.Linear(obs_dim, width)
        self.action_in = nn.Linear(action_dim, width)
        self.attn = PrefixAttention(width)
        self.action_out = nn.Linear(width, action_dim)
        self.horizon = horizon

    def forward(self, obs_tokens, obs_pad, noisy_actions):
        b, n_obs, _ = obs_tokens.shape
        x = torch.cat([self.obs_proj(obs_tokens), self.action_in(noisy_actions)], dim=1)
        pad = torch.cat([obs_pad, torch.ones(b, self.horizon, dtype=torch.bool, device=x.device)], dim=1)
        ar = torch.zeros(b, n_obs + self.horizon, dtype=torch.long, device=x.device)
        ar[:, n_obs] = 1  # the action chunk is a new segment
        h = x + self.attn(x, make_prefix_lm_mask(pad, ar))
        return self.action_out(h[:, n_obs:])


def training_step(policy, batch, optimizer, scaler):
    noise = torch.randn_like(batch["actions"])
    with torch.autocast(device_type="cuda", dtype=torch.float16):
        pred = policy(batch["observation_tokens"], batch["observation_mask"], batch["actions"] + noise)
        loss = F.mse_loss(pred.float(), noise)
    optimizer.zero_grad()
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    return loss.item()
