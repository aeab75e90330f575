import torch
import torch.nn.functional as F

from .config import WorldModelConfig
from .world_model import WorldModel


def main():
    torch.manual_seed(0)
    cfg = WorldModelConfig()
    wm = WorldModel(cfg)
    # 20 steps x (16 obs tokens + 1 action token)
    obs = torch.randint(0, cfg.n_obs_tokens, (4, 20, 16))
    act = torch.randint(cfg.n_obs_tokens, cfg.n_obs_tokens + cfg.n_actions, (4, 20, 1))
    seq = torch.cat([obs, act], dim=-1).flatten(1)
    logits_obs, logits_r, logits_d = wm(seq[:, :-1])
    targets = seq[:, 1:]
    is_obs = targets < cfg.n_obs_tokens
    loss = F.cross_entropy(logits_obs[is_obs], targets[is_obs])
    loss.backward()
    print("world-model obs loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
