"""Pointwise LLM reranker (RankLLaMA flavour): "query: ... document: ..." prompts
are left-padded so the relevance score can be read from the last position of
every row; a small decoder-only model with fused attention."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel

PAD = 0


def left_pad(rows):
    L = max(map(len, rows))
    ids = torch.tensor([[PAD] * (L - len(r)) + r for r in rows])
    return ids, (ids != PAD).long()


class DecoderLayer(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.h = heads
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d, bias=False)
        self.o = nn.Linear(d, d, bias=False)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.SiLU(), nn.Linear(4 * d, d))

    def forward(self, x, key_keep):
        B, L, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, L, 3, self.h, D // self.h).permute(2, 0, 3, 1, 4)
        a = F.scaled_dot_product_attention(  # expect: ML403
            q, k, v,
            attn_mask=key_keep[:, None, None, :],
            is_causal=True,
        )
        x = x + self.o(a.transpose(1, 2).reshape(B, L, D))
        return x + self.mlp(self.ln2(x))


class LLMReranker(nn.Module):
    def __init__(self, vocab=200, d=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.pos = nn.Embedding(64, d)
        self.layers = nn.ModuleList([DecoderLayer(d, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        self.score = nn.Linear(d, 1)

    def forward(self, input_ids, attention_mask):
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        x = self.emb(input_ids) + self.pos(pos)
        keep = attention_mask.bool()
        for layer in self.layers:
            x = layer(x, keep)
        return self.score(self.norm(x[:, -1])).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LLMReranker().eval()
    ids, mask = left_pad([[11, 12, 13, 14, 15, 16], [11, 12, 30, 31]])
    with torch.no_grad():
        print("scores on the default CPU kernel:", model(ids, mask).tolist())
        try:
            with sdpa_kernel(SDPBackend.MATH):
                print("math backend:", model(ids, mask).tolist())
        except RuntimeError as e:
            print("math backend failed:", e)
