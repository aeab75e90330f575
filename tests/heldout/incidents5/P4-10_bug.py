"""MoE chat model: prefill + decode loop with an eager attention path and KV cache list."""
import torch
import torch.nn as nn


def make_4d_mask(attention_mask, q_len, past_len, dtype):
    if attention_mask is None:
        return None  # BUG
    kv_len = attention_mask.shape[1]
    causal = torch.arange(kv_len)[None, :] <= torch.arange(past_len, past_len + q_len)[:, None]
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    return torch.where(keep, 0.0, torch.finfo(dtype).min).to(dtype)


class EagerAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, mask, past):
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        if past is not None:
            k, v = torch.cat([past[0], k], 2), torch.cat([past[1], v], 2)
        scores = q @ k.transpose(-1, -2) * (d // self.heads) ** -0.5
        if mask is not None:
            scores = scores + mask
        return self.o((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, t, d)), (k, v)


class ChatModel(nn.Module):
    def __init__(self, vocab=120, dim=32, heads=4, layers=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(EagerAttention(dim, heads) for _ in range(layers))
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None, past_key_values=None):
        past_len = 0 if past_key_values is None else past_key_values[0][0].shape[2]
        h = self.emb(input_ids)
        mask = make_4d_mask(attention_mask, input_ids.shape[1], past_len, h.dtype)
        presents = []
        for i, layer in enumerate(self.layers):
            a, kv = layer(h, mask, None if past_key_values is None else past_key_values[i])  # BUG
            h = h + a
            presents.append(kv)
        return self.lm_head(h), presents

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=5):
        logits, past = self(input_ids, attention_mask)
        out = input_ids
        for step in range(max_new_tokens):
            nxt = logits[:, -1:].argmax(-1)
            out = torch.cat([out, nxt], 1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
            logits, past = self(nxt, attention_mask, past)
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    m = ChatModel().eval()
    ids = torch.randint(0, 120, (1, 6))
    with torch.no_grad():
        a = m(ids)[0][:, :3]
        b = m(ids[:, :3])[0]
    print("prefill causal without mask:", torch.allclose(a, b, atol=1e-5))
    print(m.generate(ids).shape)
