"""Batched code completion with a GPT-style code model (rotary-free, learned
positions, SDPA).  Prompts are left padded; the attention mask is a KEEP mask
(True = may attend), which is exactly what scaled_dot_product_attention
expects for boolean masks."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


def keep_mask(input_ids: torch.Tensor) -> torch.Tensor:
    L = input_ids.size(1)
    causal = torch.ones(L, L, dtype=torch.bool, device=input_ids.device).tril()
    key_is_real = input_ids != PAD
    keep = causal[None] & key_is_real[:, None, :]
    # padded query rows would have no visible key; let them see themselves only
    keep |= torch.eye(L, dtype=torch.bool, device=input_ids.device)[None]
    return keep[:, None]  # (B, 1, L, L)


class Block(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.c_attn, self.c_proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))

    def forward(self, x, mask):
        B, L, D = x.shape
        q, k, v = self.c_attn(self.ln1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.c_proj(y.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class CodeGPT(nn.Module):
    def __init__(self, vocab=400, d=64, h=4, n=2, ctx=128):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, d), nn.Embedding(ctx, d)
        self.blocks = nn.ModuleList(Block(d, h) for _ in range(n))
        self.ln_f = nn.LayerNorm(d)

    def forward(self, input_ids):
        real = (input_ids != PAD).long()
        pos = (real.cumsum(1) - 1).clamp(min=0)
        x = self.wte(input_ids) + self.wpe(pos)
        mask = keep_mask(input_ids)
        for blk in self.blocks:
            x = blk(x, mask)
        return self.ln_f(x) @ self.wte.weight.t()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CodeGPT().eval()
    p0, p1 = torch.randint(1, 400, (12,)), torch.randint(1, 400, (5,))
    batch = torch.zeros(2, 12, dtype=torch.long)
    batch[0], batch[1, 7:] = p0, p1
    with torch.no_grad():
        out = model(batch)
        solo1 = model(p1[None])
        p0b = p0.clone()
        p0b[8:] = 3
        out_b = model(torch.stack([p0b, batch[1]]))
    assert not torch.isnan(out).any()
    assert torch.allclose(out[1, 7:], solo1[0], atol=1e-4), "left padding changed the result"
    assert torch.allclose(out[0, :8], out_b[0, :8], atol=1e-5), "future leak"
    print("OK: keep-mask into SDPA is causal and padding-invariant")
