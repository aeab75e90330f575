"""Text-to-image diffusion: UNet latents cross-attend to T5 text states. Cross-attention is
bidirectional by design (no causal mask); padded prompt tokens are excluded via
key_padding_mask built from the tokenizer's 1 = keep mask."""
import torch
import torch.nn as nn


class LatentTextCrossAttn(nn.Module):
    def __init__(self, d=32, ctx_dim=24, heads=4):
        super().__init__()
        self.ctx = nn.Linear(ctx_dim, d)
        self.mha = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, latents, text_states, text_mask):
        ctx = self.ctx(text_states)
        out, _ = self.mha(self.norm(latents), ctx, ctx, key_padding_mask=~text_mask.bool())
        return latents + out


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = LatentTextCrossAttn().eval()
    lat, txt = torch.randn(2, 16, 32), torch.randn(2, 7, 24)
    tmask = torch.tensor([[1, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        a = blk(lat, txt, tmask)
        txt2 = txt.clone()
        txt2[0, 3:] = 3.0
        b = blk(lat, txt2, tmask)
    assert torch.allclose(a, b, atol=1e-5) and not torch.isnan(a).any()
    print("OK: latents ignore padded prompt tokens")
