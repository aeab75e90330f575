import torch
import torch.nn.functional as F
from torch import nn


class FastAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, cache, attn_mask):
        b, s, _ = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, self.head_dim).permute(2, 0, 3, 1, 4)
        if cache is not None:
            k, v = torch.cat([cache[0], k], 2), torch.cat([cache[1], v], 2)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask)
        return self.o(out.transpose(1, 2).reshape(b, s, -1)), (k, v)


class FastLlamaForCausalLM(nn.Module):
    def __init__(self, vocab=64, hidden=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([FastAttention(hidden) for _ in range(layers)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, ids, caches, attn_mask):
        h = self.embed(ids)
        new = []
        for layer, cache in zip(self.layers, caches):
            out, kv = layer(h, cache, attn_mask)
            h = h + out
            new.append(kv)
        return self.lm_head(h), new


@torch.no_grad()
def fast_generate(model, input_ids, attention_mask, max_new_tokens=5):
    b, s = input_ids.shape
    prefill_mask = torch.ones(s, s, dtype=torch.bool).tril()[None, None] & attention_mask[:, None, None, :].bool()
    prefill_mask = prefill_mask | ~prefill_mask.any(-1, keepdim=True)
    logits, caches = model(input_ids, [None] * len(model.layers), prefill_mask)
    out = input_ids
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out = torch.cat([out, nxt], 1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
        step_mask = attention_mask[:, None, None, :].bool()  # BUG
        logits, caches = model(nxt, caches, step_mask)
    return out[:, s:]


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastLlamaForCausalLM().eval()
    prompts = [[3, 9, 27, 17, 51, 25, 11], [5, 8, 13]]
    width = max(map(len, prompts))
    ids = torch.tensor([[0] * (width - len(p)) + p for p in prompts])
    mask = torch.tensor([[0] * (width - len(p)) + [1] * len(p) for p in prompts])
    batched = fast_generate(model, ids, mask)
    solo = fast_generate(model, torch.tensor([prompts[1]]), torch.ones(1, 3, dtype=torch.long))
    print(f"shorter prompt: {int((batched[1] != solo[0]).sum())}/5 generated tokens differ from its solo generation")
