"""Open LM evaluation: batched left-padded prompts, prefill + incremental decode with KV cache."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)

    def forward(self, x, past_key_value=None, attention_mask=None):
        b, t, d = x.shape
        q, k, v = self.in_proj(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], 2)
            v = torch.cat([past_key_value[1], v], 2)
        if attention_mask is None:
            out = F.scaled_dot_product_attention(q, k, v, is_causal=past_key_value is None)
        else:
            S = k.shape[2]
            causal = torch.ones(t, S, dtype=torch.bool).tril(S - t)
            mask = causal[None, None] & attention_mask[:, None, None, :].bool()
            # left-padding queries keep their own key so no row is empty
            mask = mask | (torch.arange(S)[None, :] == torch.arange(S - t, S)[:, None])
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
        return self.out_proj(out.transpose(1, 2).reshape(b, t, d)), (k, v)


class OpenLM(nn.Module):
    def __init__(self, vocab=90, dim=32, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(CausalSelfAttention(dim, heads) for _ in range(layers))
        self.head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, past_key_values=None, attention_mask=None):
        h = self.tok(input_ids)
        new = []
        for i, layer in enumerate(self.layers):
            a, kv = layer(h, None if past_key_values is None else past_key_values[i], attention_mask)
            h = h + a
            new.append(kv)
        return self.head(h), new

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        logits, past = self(input_ids)  # BUG
        out = input_ids
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            out = torch.cat([out, nxt], 1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits, past = self(nxt, past_key_values=past)  # BUG
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = OpenLM().eval()
    ids = torch.tensor([[0, 0, 5, 6], [7, 8, 9, 10]])
    am = torch.tensor([[0, 0, 1, 1], [1, 1, 1, 1]])
    batched = m.generate(ids, am)
    single = m.generate(ids[:1, 2:], am[:1, 2:])
    print("batched == single:", torch.equal(batched[0, 2:], single[0]))
