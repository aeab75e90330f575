import math

import torch
from torch import nn


class FastQwen2Attention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask, past_key_value=None):
        b, s, _ = x.shape
        Q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        K = self.k_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        V = self.v_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        if past_key_value is not None:
            K = torch.cat([past_key_value[0], K], dim=2)
            V = torch.cat([past_key_value[1], V], dim=2)
        A = torch.matmul(Q, K.transpose(2, 3)) / math.sqrt(self.head_dim)
        A = A + attention_mask
        A = torch.softmax(A, dim=-1, dtype=torch.float32).to(Q.dtype)
        A = torch.matmul(A, V)
        return self.o_proj(A.transpose(1, 2).reshape(b, s, -1)), (K, V)


def _prepare_prefill_mask(attention_mask, q_len, dtype):
    causal = torch.ones(q_len, q_len, dtype=torch.bool).tril()
    keep = causal[None, None] & attention_mask[:, None, None, :].bool()
    additive = torch.zeros(keep.shape, dtype=dtype).masked_fill(~keep, float("-inf"))
    return additive  # BUG


def _prepare_decode_mask(attention_mask, dtype):
    return torch.zeros(attention_mask.shape, dtype=dtype).masked_fill(attention_mask == 0, float("-inf"))[:, None, None, :]


class FastQwen2ForCausalLM(nn.Module):
    def __init__(self, vocab=60, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList(FastQwen2Attention(hidden) for _ in range(layers))
        self.norms = nn.ModuleList(nn.LayerNorm(hidden) for _ in range(layers))
        self.lm_head = nn.Linear(hidden, vocab)

    def forward(self, input_ids, attention_mask, past_key_values=None):
        x = self.embed_tokens(input_ids)
        if past_key_values is None:
            mask = _prepare_prefill_mask(attention_mask, input_ids.shape[1], x.dtype)
            past_key_values = [None] * len(self.layers)
        else:
            mask = _prepare_decode_mask(attention_mask, x.dtype)
        new_past = []
        for norm, layer, past in zip(self.norms, self.layers, past_key_values):
            h, kv = layer(norm(x), mask, past)
            x = x + h
            new_past.append(kv)
        return self.lm_head(x), new_past

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        logits, past = self(input_ids, attention_mask)
        generated = []
        for _ in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            generated.append(nxt)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
            logits, past = self(nxt, attention_mask, past)
        return torch.cat(generated, dim=1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FastQwen2ForCausalLM().eval()
    short, longer = [14, 3, 52], [7, 19, 33, 5, 41, 26]
    singles = [model.generate(torch.tensor([p]), torch.ones(1, len(p), dtype=torch.long))[0] for p in (short, longer)]
    batch = torch.tensor([[0] * 3 + short, longer])
    mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1] * 6])
    batched = model.generate(batch, mask)
    same = [bool(torch.equal(batched[i], singles[i])) for i in range(2)]
    print(f"batched left-padded generation matches single-prompt generation: short={same[0]}, long={same[1]}")
