"""PixArt/DiT-style diffusion transformer over latent patches, conditioned on
T5-like caption tokens through cross-attention; the caption's 1/0 mask is
turned into an additive bias once per forward, then shared by all blocks."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CrossAttention(nn.Module):
    def __init__(self, dim, ctx_dim, heads=4):
        super().__init__()
        self.heads = heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(ctx_dim, 2 * dim)
        self.proj = nn.Linear(dim, dim)

    def forward(self, x, ctx, bias):
        B, N, C = x.shape
        q = self.q(x).view(B, N, self.heads, -1).transpose(1, 2)
        k, v = self.kv(ctx).view(B, ctx.size(1), 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        return self.proj(out.transpose(1, 2).reshape(B, N, C))


class DiTBlock(nn.Module):
    def __init__(self, dim, ctx_dim):
        super().__init__()
        self.norm1 = nn.LayerNorm(dim, elementwise_affine=False)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.norm2 = nn.LayerNorm(dim, elementwise_affine=False)
        self.cross = CrossAttention(dim, ctx_dim)
        self.mlp = nn.Sequential(nn.Linear(dim, 2 * dim), nn.GELU(approximate="tanh"), nn.Linear(2 * dim, dim))
        self.ada = nn.Linear(dim, 2 * dim)

    def forward(self, x, t_emb, ctx, ctx_bias):
        shift, scale = self.ada(t_emb).unsqueeze(1).chunk(2, -1)
        h = self.norm1(x) * (1 + scale) + shift
        x = x + self.attn(h, h, h, need_weights=False)[0]
        x = x + self.cross(self.norm2(x), ctx, ctx_bias)
        return x + self.mlp(x)


class TinyDiT(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        dim, ctx_dim = cfg["hidden_size"], cfg["caption_channels"]
        self.patch = nn.Linear(cfg["in_channels"] * cfg["patch_size"] ** 2, dim)
        self.t_embed = nn.Sequential(nn.Linear(1, dim), nn.SiLU(), nn.Linear(dim, dim))
        self.y_proj = nn.Sequential(nn.Linear(ctx_dim, ctx_dim), nn.GELU(approximate="tanh"))
        self.blocks = nn.ModuleList([DiTBlock(dim, ctx_dim) for _ in range(cfg["depth"])])
        self.out = nn.Linear(dim, cfg["in_channels"] * cfg["patch_size"] ** 2)

    def forward(self, patches, timestep, caption_embeds, caption_mask):
        x = self.patch(patches)
        t = self.t_embed(timestep.float()[:, None])
        y = self.y_proj(caption_embeds)
        caption_bias = caption_mask[:, None, None, :].to(x.dtype) * -10000.0
        for block in self.blocks:
            x = block(
                x, t, y,
                caption_bias,  # expect: ML103
            )
        return self.out(x)


CFG = {"hidden_size": 32, "caption_channels": 24, "in_channels": 4, "patch_size": 2, "depth": 2}

if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyDiT(CFG).eval()
    patches = torch.randn(1, 16, 16)
    caption = torch.randn(1, 8, 24)
    caption_mask = torch.tensor([[1, 1, 1, 0, 0, 0, 0, 0]])
    with torch.no_grad():
        a = model(patches, torch.tensor([500]), caption, caption_mask)
        c2 = caption.clone()
        c2[:, 3:] = torch.randn(1, 5, 24) * 3  # padding slots of the T5 output only
        b = model(patches, torch.tensor([500]), c2, caption_mask)
        c3 = caption.clone()
        c3[:, :3] = torch.randn(1, 3, 24) * 3  # the real caption tokens
        c = model(patches, torch.tensor([500]), c3, caption_mask)
    print("moved by padding slots:", (a - b).abs().max().item(), " moved by the real caption:", (a - c).abs().max().item())
    assert (a - b).abs().max() > 1e-3
