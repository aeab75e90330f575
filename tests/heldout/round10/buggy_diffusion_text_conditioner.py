"""Prompt encoder for a latent-diffusion UNet (CLIP-text-like, causal, pooled at EOT)."""
import torch
import torch.nn as nn

DEVICE = "cuda" if torch.cuda.is_available() else "cpu"
DTYPE = torch.float16 if DEVICE == "cuda" else torch.float32


class TextAttention(nn.Module):
    def __init__(self, width, heads):
        super().__init__()
        self.heads = heads
        self.scale = (width // heads) ** -0.5
        self.to_qkv = nn.Linear(width, 3 * width)
        self.out = nn.Linear(width, width)

    def forward(self, x, keep):
        B, L, W = x.shape
        qkv = self.to_qkv(x).view(B, L, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        sim = torch.einsum("bhid,bhjd->bhij", q, k) * self.scale
        sim = sim.masked_fill(~keep, -1e9)  # expect: ML205
        attn = sim.softmax(dim=-1)
        out = torch.einsum("bhij,bhjd->bhid", attn, v)
        return self.out(out.transpose(1, 2).reshape(B, L, W))


class TextTransformer(nn.Module):
    def __init__(self, vocab=49408, width=64, heads=4, layers=3, ctx=77):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, width)
        self.positional_embedding = nn.Parameter(torch.randn(ctx, width) * 0.01)
        self.attn = nn.ModuleList(TextAttention(width, heads) for _ in range(layers))
        self.ln1 = nn.ModuleList(nn.LayerNorm(width) for _ in range(layers))
        self.mlp = nn.ModuleList(
            nn.Sequential(nn.Linear(width, 4 * width), nn.GELU(), nn.Linear(4 * width, width))
            for _ in range(layers)
        )
        self.ln2 = nn.ModuleList(nn.LayerNorm(width) for _ in range(layers))
        self.ln_final = nn.LayerNorm(width)
        self.register_buffer("keep", torch.ones(ctx, ctx, dtype=torch.bool).tril(), persistent=False)

    def forward(self, tokens):
        L = tokens.size(1)
        x = self.token_embedding(tokens) + self.positional_embedding[:L]
        keep = self.keep[:L, :L]
        for attn, ln1, mlp, ln2 in zip(self.attn, self.ln1, self.mlp, self.ln2):
            x = x + attn(ln1(x), keep)
            x = x + mlp(ln2(x))
        x = self.ln_final(x)
        pooled = x[torch.arange(x.size(0)), tokens.argmax(dim=-1)]
        return x, pooled


@torch.no_grad()
def encode_prompts(model, tokens, null_tokens, guidance=True):
    cond, pooled = model(tokens)
    if not guidance:
        return cond, pooled
    uncond, upooled = model(null_tokens)
    return torch.cat([uncond, cond]), torch.cat([upooled, pooled])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TextTransformer().to(DEVICE, DTYPE).eval()
    toks = torch.randint(1, 49406, (2, 77), device=DEVICE)
    toks[:, 0] = 49406
    toks[0, 9] = 49407
    toks[1, 14] = 49407
    null = torch.zeros_like(toks)
    null[:, 0], null[:, 1] = 49406, 49407
    ctx, pooled = encode_prompts(model, toks, null)
    print(ctx.shape, ctx.dtype, pooled.shape)
