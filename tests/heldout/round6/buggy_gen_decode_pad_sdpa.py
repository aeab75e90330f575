"""Greedy generation with a KV cache for a left-padded batch."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedAttention(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.h = heads
        self.qkv = nn.Linear(dim, 3 * dim)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, pad_mask, past=None):
        B, T, C = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, C // self.h).permute(2, 0, 3, 1, 4)
        if past is not None:
            k = torch.cat([past[0], k], dim=2)
            v = torch.cat([past[1], v], dim=2)
        S = k.size(2)
        causal = torch.ones(T, S, dtype=torch.bool, device=x.device).triu(S - T + 1)
        blocked = pad_mask[:, None, None, :] | causal  # True = do not attend
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=blocked,  # expect: ML102
        )
        return self.o(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class TinyLM(nn.Module):
    def __init__(self, vocab=50, dim=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.attn = CachedAttention(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, ids, pad_mask, past=None):
        h, past = self.attn(self.emb(ids), pad_mask, past)
        return self.head(h), past


@torch.no_grad()
def generate(model, input_ids, attention_mask, max_new_tokens=5):
    pad_mask = attention_mask == 0
    logits, past = model(input_ids, pad_mask)
    out = [input_ids]
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        pad_mask = torch.cat([pad_mask, pad_mask.new_zeros(pad_mask.size(0), 1)], dim=1)
        logits, past = model(nxt, pad_mask, past)
    return torch.cat(out, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lm = TinyLM()
    ids = torch.tensor([[0, 0, 5, 6], [7, 8, 9, 10]])
    am = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    print(generate(lm, ids, am))
