import torch
import torch.nn as nn


class PerceiverARBlock(nn.Module):
    """Perceiver AR: the last n positions (the latents) attend causally to the whole sequence,
    then causally to each other. Both attentions are over positions of one sequence."""

    def __init__(self, d, heads, n_latents):
        super().__init__()
        self.n = n_latents
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d, heads, batch_first=True)

    def forward(self, seq, latents):
        n = latents.size(1)
        causal = torch.triu(torch.ones(n, n, dtype=torch.bool, device=seq.device), 1)
        latents = latents + self.self_attn(latents, latents, latents, attn_mask=causal)[0]
        # latent i sits at position T - n + i of seq: it may read seq up to that position
        T = seq.size(1)
        offset = torch.triu(torch.ones(n, T, dtype=torch.bool, device=seq.device), T - n + 1)
        return latents + self.cross_attn(latents, seq, seq, attn_mask=offset)[0]
