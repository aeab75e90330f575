"""Falcon-style batched generation through SDPA with an additive 4D mask built with
torch.finfo(dtype).min, as prepared for left-padded prompts (cf. pytorch issue 110213)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def prepare_4d_causal_attention_mask(attention_mask, q_len, dtype):
    min_dtype = torch.finfo(dtype).min
    bsz, kv_len = attention_mask.shape
    causal = torch.full((q_len, kv_len), min_dtype, dtype=dtype).triu(kv_len - q_len + 1)
    mask = causal[None, None].expand(bsz, 1, q_len, kv_len).clone()
    return mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)




class FalconAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.query_key_value = nn.Linear(hidden, 3 * hidden, bias=False)
        self.dense = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.query_key_value(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)  # BUG
        return self.dense(out.transpose(1, 2).reshape(b, s, d))


class FalconForCausalLM(nn.Module):
    def __init__(self, vocab=100, hidden=32, layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.h = nn.ModuleList([FalconAttention(hidden) for _ in range(layers)])
        self.ln_f = nn.LayerNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids)
        mask = prepare_4d_causal_attention_mask(attention_mask, input_ids.shape[1], x.dtype)
        for layer in self.h:
            x = x + layer(x, mask)
        return self.lm_head(self.ln_f(x))


@torch.no_grad()
def generate(model, input_ids, attention_mask, steps=3):
    for _ in range(steps):
        logits = model(input_ids, attention_mask)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        input_ids = torch.cat([input_ids, nxt], 1)
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
    return input_ids, logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FalconForCausalLM().eval()
    input_ids = torch.tensor([[11, 12, 13, 14, 15], [0, 0, 0, 21, 22]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 0, 1, 1]])
    out, logits = generate(model, input_ids, attention_mask)
    print(out, "nan in logits:", torch.isnan(logits).any().item())
