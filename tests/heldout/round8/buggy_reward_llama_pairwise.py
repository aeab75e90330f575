"""Llama-style reward model (RMSNorm, rotary embeddings, SwiGLU, SDPA) used in
a PPO pipeline: the reward is read at the final position of LEFT-padded
prompt+response sequences, so the score of a response must not depend on how
much padding its batch needed."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def rotary(x, pos, base=10000.0):
    d = x.size(-1)
    inv = 1.0 / base ** (torch.arange(0, d, 2, dtype=torch.float) / d)
    ang = pos[:, None, :, None].float() * inv  # (B, 1, L, d/2)
    cos, sin = ang.cos(), ang.sin()
    x1, x2 = x[..., 0::2], x[..., 1::2]
    return torch.stack([x1 * cos - x2 * sin, x1 * sin + x2 * cos], -1).flatten(-2)


class LlamaBlock(nn.Module):
    def __init__(self, d, h):
        super().__init__()
        self.h = h
        self.n1, self.n2 = nn.RMSNorm(d), nn.RMSNorm(d)
        self.wqkv, self.wo = nn.Linear(d, 3 * d, bias=False), nn.Linear(d, d, bias=False)
        self.w1, self.w3, self.w2 = nn.Linear(d, 2 * d, bias=False), nn.Linear(d, 2 * d, bias=False), nn.Linear(2 * d, d, bias=False)

    def forward(self, x, pos, mask):
        B, L, D = x.shape
        q, k, v = self.wqkv(self.n1(x)).view(B, L, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        q, k = rotary(q, pos), rotary(k, pos)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        x = x + self.wo(y.transpose(1, 2).reshape(B, L, D))
        h = self.n2(x)
        return x + self.w2(F.silu(self.w1(h)) * self.w3(h))


class LlamaRewardModel(nn.Module):
    def __init__(self, vocab=400, d=64, h=4, n=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d)
        self.layers = nn.ModuleList(LlamaBlock(d, h) for _ in range(n))
        self.norm = nn.RMSNorm(d)
        self.score = nn.Linear(d, 1, bias=False)

    def forward(self, input_ids, attention_mask):
        B, L = input_ids.shape
        pos = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        causal = torch.ones(L, L, dtype=torch.bool, device=input_ids.device).tril()
        keep = causal[None, None] & attention_mask[:, None, None, :].bool()
        x = self.embed(input_ids)
        for layer in self.layers:
            x = layer(
                x,
                pos,
                keep.to(x.dtype),  # expect: ML202
            )
        return self.score(self.norm(x[:, -1])).squeeze(-1)


def left_pad(seqs, pad_id=0):
    L = max(map(len, seqs))
    ids = torch.full((len(seqs), L), pad_id)
    am = torch.zeros(len(seqs), L, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, L - len(s):], am[i, L - len(s):] = torch.tensor(s), 1
    return ids, am


if __name__ == "__main__":
    torch.manual_seed(0)
    rm = LlamaRewardModel().eval()
    resp = [7, 8, 9, 10, 11]
    with torch.no_grad():
        r_alone = rm(*left_pad([resp]))
        r_batched = rm(*left_pad([resp, list(range(20, 40))]))
    print("reward alone:", r_alone.item(), "| same sequence in a padded batch:", r_batched[0].item())
    assert abs(r_alone.item() - r_batched[0].item()) > 1e-4
    print("FAILURE SHOWN: reward depends on batch padding (mask added as 0/1 bias)")
