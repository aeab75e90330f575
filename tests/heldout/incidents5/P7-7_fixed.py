"""Fast batched generation for a fine-tuned LM: left-padded prompts, position ids, KV cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask, past):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, is_causal=mask is None and t > 1)
        return x + self.o(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class FastLM(nn.Module):
    def __init__(self, vocab=64, dim=32, heads=4, n_layers=2, max_pos=64):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_pos, dim)
        self.blocks = nn.ModuleList(Block(dim, heads) for _ in range(n_layers))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, ids, position_ids, mask=None, past_key_values=None):
        h = self.emb(ids) + self.pos(position_ids)
        cache = []
        for i, blk in enumerate(self.blocks):
            h, kv = blk(h, mask, None if past_key_values is None else past_key_values[i])
            cache.append(kv)
        return self.head(h), cache

    @torch.no_grad()
    def generate(self, ids, attention_mask, max_new_tokens=4):
        T = ids.shape[1]
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        causal = torch.ones(T, T, dtype=torch.bool).tril()
        mask = causal[None, None] & attention_mask[:, None, None, :].bool()
        mask = mask | torch.eye(T, dtype=torch.bool)
        logits, cache = self(ids, position_ids, mask)
        out = ids
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            out = torch.cat([out, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            pos = attention_mask.sum(-1, keepdim=True) - 1
            step_mask = attention_mask[:, None, None, :].bool()
            logits, cache = self(nxt, pos, step_mask, cache)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = FastLM().eval()
    ids = torch.tensor([[0, 0, 0, 7, 8], [3, 4, 5, 6, 7]])
    am = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])
    batched = m.generate(ids, am)
    single = m.generate(ids[:1, 3:], am[:1, 3:])
    print("short prompt matches:", torch.equal(batched[0, 3:], single[0]))
