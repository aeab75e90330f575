"""IRIS/TWM-style transformer world model.

Replay-buffer segments are sampled without respecting episode ends, so one
segment may contain the tail of episode e and the start of episode e+1.  Each
time step is a (latent-state token, action token) pair; the model predicts
next latent, reward and termination autoregressively and must not attend
across an episode reset."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class WorldModel(nn.Module):
    def __init__(self, n_latents=64, n_actions=6, dim=64, heads=4, layers=2, ctx=64):
        super().__init__()
        self.heads = heads
        self.latent_emb = nn.Embedding(n_latents, dim)
        self.action_emb = nn.Embedding(n_actions, dim)
        self.pos = nn.Embedding(ctx, dim)
        layer = nn.TransformerEncoderLayer(dim, heads, 4 * dim, dropout=0.0, batch_first=True, norm_first=True)
        self.transformer = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)
        self.next_latent = nn.Linear(dim, n_latents)
        self.reward = nn.Linear(dim, 1)
        self.done = nn.Linear(dim, 1)

    def episode_mask(self, episode_id):
        # True = blocked: tokens from different episodes may not see each other
        blocked = episode_id[:, :, None] != episode_id[:, None, :]
        return blocked.repeat_interleave(self.heads, dim=0)

    def forward(self, latents, actions, episode_id):
        B, T = latents.shape
        x = torch.stack([self.latent_emb(latents), self.action_emb(actions)], 2).reshape(B, 2 * T, -1)
        x = x + self.pos(torch.arange(2 * T, device=x.device))
        ep = episode_id.repeat_interleave(2, dim=1)
        h = self.transformer(  # expect: ML402
            x,
            mask=self.episode_mask(ep),
            is_causal=True,
        )
        h_act = h[:, 1::2]  # token after the action predicts the next step
        return self.next_latent(h_act), self.reward(h_act).squeeze(-1), self.done(h_act).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    wm = WorldModel()
    T = 12
    latents = torch.randint(0, 64, (2, T))
    actions = torch.randint(0, 6, (2, T))
    episode_id = torch.zeros(2, T, dtype=torch.long)
    episode_id[:, 7:] = 1  # episode reset after step 6
    logits, rew, done = wm(latents, actions, episode_id)
    loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), latents[:, 1:].flatten())
    print("world-model loss:", loss.item())
    with torch.no_grad():
        l2 = latents.clone()
        l2[:, :7] = torch.randint(0, 64, (2, 7))  # rewrite the previous episode only
        logits2, _, _ = wm(l2, actions, episode_id)
        l3 = latents.clone()
        l3[:, 10:] = torch.randint(0, 64, (2, 2))  # rewrite the future only
        logits3, _, _ = wm(l3, actions, episode_id)
    cross_ep = (logits[:, 7:] - logits2[:, 7:]).abs().max().item()
    future = (logits[:, :10] - logits3[:, :10]).abs().max().item()
    print("episode-1 predictions change with episode-0 content:", cross_ep)
    print("predictions before step 10 change with steps >= 10:", future)
    assert cross_ep > 1e-4 or future > 1e-4
    print("FAILURE SHOWN: the is_causal hint does not match the mask actually supplied")
