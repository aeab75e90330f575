"""Latent-diffusion UNet cross-attention block: image latents attend to text-encoder states.
Runs in float16 at inference (model.half())."""
import torch
import torch.nn as nn


class TextCrossAttention(nn.Module):
    def __init__(self, query_dim=32, context_dim=24, heads=4):
        super().__init__()
        self.h = heads
        self.dh = query_dim // heads
        self.to_q = nn.Linear(query_dim, query_dim, bias=False)
        self.to_k = nn.Linear(context_dim, query_dim, bias=False)
        self.to_v = nn.Linear(context_dim, query_dim, bias=False)
        self.to_out = nn.Linear(query_dim, query_dim)

    def forward(self, latents, context, context_keep):
        B, N, _ = latents.shape
        M = context.shape[1]
        q = self.to_q(latents).view(B, N, self.h, self.dh).transpose(1, 2)
        k = self.to_k(context).view(B, M, self.h, self.dh).transpose(1, 2)
        v = self.to_v(context).view(B, M, self.h, self.dh).transpose(1, 2)
        sim = (q @ k.transpose(-1, -2)) * self.dh ** -0.5
        sim = sim.masked_fill(~context_keep[:, None, None, :], -1e9)  # expect: ML205
        attn = sim.softmax(dim=-1)
        out = (attn @ v).transpose(1, 2).reshape(B, N, -1)
        return self.to_out(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    block = TextCrossAttention()
    latents = torch.randn(2, 16, 32)
    ctx = torch.randn(2, 6, 24)
    keep = torch.tensor([[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]], dtype=torch.bool)
    block(latents, ctx, keep)  # fp32 is fine
    block = block.half()
    try:
        out = block(latents.half(), ctx.half(), keep)
        print("FAILURE SHOWN? fp16 ran; finite:", bool(torch.isfinite(out).all()))
    except RuntimeError as e:
        print("FAILURE SHOWN: fp16 inference fails:", str(e)[:90])
