"""Incremental decoding with a `past_key_values` tuple and an HF-style 1/0 attention_mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class DecoderLayer(nn.Module):
    def __init__(self, dim=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q_proj = nn.Linear(dim, dim)
        self.kv_proj = nn.Linear(dim, 2 * dim)
        self.o_proj = nn.Linear(dim, dim)

    def forward(self, hidden, attention_mask, past_key_value=None):
        B, T, C = hidden.shape
        q = self.q_proj(hidden).view(B, T, self.heads, -1).transpose(1, 2)
        k, v = self.kv_proj(hidden).view(B, T, 2, self.heads, -1).permute(2, 0, 3, 1, 4)
        if past_key_value is not None:
            k = torch.cat([past_key_value[0], k], dim=-2)
            v = torch.cat([past_key_value[1], v], dim=-2)
        attn_mask = attention_mask[:, None, None, :].to(q.dtype)
        out = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=attn_mask,  # expect: ML202
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, C)), (k, v)


class Model(nn.Module):
    def __init__(self, vocab=64, dim=32, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(DecoderLayer(dim) for _ in range(n_layers))
        self.lm_head = nn.Linear(dim, vocab)

    def forward(self, input_ids, attention_mask, past_key_values=None):
        h = self.embed(input_ids)
        new_past = []
        for i, layer in enumerate(self.layers):
            h, kv = layer(h, attention_mask, None if past_key_values is None else past_key_values[i])
            new_past.append(kv)
        return self.lm_head(h), tuple(new_past)


@torch.no_grad()
def decode(model, input_ids, attention_mask, steps=4):
    # prompt is processed one token at a time so every step is causal by construction
    past, logits = None, None
    for t in range(input_ids.size(1)):
        logits, past = model(input_ids[:, t:t + 1], attention_mask[:, : t + 1], past)
    generated = input_ids
    for _ in range(steps):
        nxt = logits[:, -1:].argmax(-1)
        generated = torch.cat([generated, nxt], dim=1)
        attention_mask = torch.cat([attention_mask, attention_mask.new_ones(attention_mask.size(0), 1)], dim=1)
        logits, past = model(nxt, attention_mask, past)
    return generated


if __name__ == "__main__":
    torch.manual_seed(0)
    print(decode(Model(), torch.tensor([[0, 3, 4], [5, 6, 7]]), torch.tensor([[0, 1, 1], [1, 1, 1]])))
