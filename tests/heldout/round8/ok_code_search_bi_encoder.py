"""CodeT5-encoder / CodeBERT-style bi-encoder for natural-language code
search.  The encoder is bidirectional (no causal mask); padding is removed with
the HF "extended attention mask": (1 - mask) * finfo(dtype).min, in float32."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def extended_attention_mask(attention_mask: torch.Tensor, dtype=torch.float32) -> torch.Tensor:
    ext = attention_mask[:, None, None, :].to(dtype)
    return (1.0 - ext) * torch.finfo(dtype).min


class EncoderLayer(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, 4 * d), nn.ReLU(), nn.Linear(4 * d, d))

    def forward(self, x, ext_mask):
        B, L, D = x.shape
        sh = lambda t: t.view(B, L, self.h, -1).transpose(1, 2)
        y = F.scaled_dot_product_attention(sh(self.q(x)), sh(self.k(x)), sh(self.v(x)), attn_mask=ext_mask)
        x = self.ln1(x + self.o(y.transpose(1, 2).reshape(B, L, D)))
        return self.ln2(x + self.ff(x))


class CodeSearchEncoder(nn.Module):
    def __init__(self, vocab=900, d=64, h=4, n=2):
        super().__init__()
        self.emb, self.pos = nn.Embedding(vocab, d), nn.Embedding(256, d)
        self.layers = nn.ModuleList(EncoderLayer(d, h) for _ in range(n))

    def forward(self, input_ids, attention_mask):
        x = self.emb(input_ids) + self.pos(torch.arange(input_ids.size(1)))
        ext = extended_attention_mask(attention_mask, x.dtype)
        for layer in self.layers:
            x = layer(x, ext)
        w = attention_mask.unsqueeze(-1).to(x.dtype)
        return F.normalize((x * w).sum(1) / w.sum(1), dim=-1)  # masked mean pooling


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = CodeSearchEncoder().eval()
    code = torch.randint(1, 900, (3, 30))
    am = torch.ones(3, 30, dtype=torch.long)
    am[1, 18:] = 0
    am[2, 5:] = 0
    code = code * am
    with torch.no_grad():
        e = enc(code, am)
        code2 = code.clone()
        code2[am == 0] = 42
        e2 = enc(code2, am)
        solo = enc(code[2:, :5], am[2:, :5])
        nl = enc(torch.randint(1, 900, (2, 8)), torch.ones(2, 8, dtype=torch.long))
        scores = nl @ e.t()
    assert torch.allclose(e, e2, atol=1e-5) and torch.allclose(e[2], solo[0], atol=1e-5)
    assert torch.isfinite(scores).all()
    print("OK: bidirectional encoder with (1 - mask) * min ignores padding")
