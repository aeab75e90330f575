import torch
import torch.nn.functional as F
from torch import nn


class FastLlamaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def _shape(self, t):
        b, n, d = t.shape
        return t.view(b, n, self.heads, d // self.heads).transpose(1, 2)

    def forward(self, x, past_kv, attention_mask):
        q, k, v = self._shape(self.q_proj(x)), self._shape(self.k_proj(x)), self._shape(self.v_proj(x))
        if past_kv is not None:
            k, v = torch.cat([past_kv[0], k], 2), torch.cat([past_kv[1], v], 2)
        q_len, kv_len = q.shape[-2], k.shape[-2]
        keep = torch.ones(q_len, kv_len, dtype=torch.bool).tril(kv_len - q_len)[None, None] & attention_mask[:, None, None, :].bool()
        keep = keep | ~keep.any(-1, keepdim=True)
        if q_len == 1:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        else:
            out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
        b, h, n, hd = out.shape
        return self.o_proj(out.transpose(1, 2).reshape(b, n, h * hd)), (k, v)


class TinyLlama(nn.Module):
    def __init__(self, vocab=64, hidden=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([FastLlamaAttention(hidden) for _ in range(layers)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask, past=None):
        x = self.embed(input_ids)
        new_past = []
        for i, layer in enumerate(self.layers):
            h, kv = layer(x, None if past is None else past[i], attention_mask)
            x = x + h
            new_past.append(kv)
        return self.lm_head(x), new_past


@torch.no_grad()
def unsloth_fast_generate(model, input_ids, attention_mask, max_new_tokens=5):
    logits, past = model(input_ids, attention_mask)
    out, step_logits = [], []
    for _ in range(max_new_tokens):
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        step_logits.append(logits[:, -1])
        attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], 1)
        logits, past = model(nxt, attention_mask, past)
    return torch.cat(out, 1), torch.stack(step_logits, 1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyLlama().eval()
    prompts = [[9, 14, 3], [5, 27, 31, 2, 44, 18]]
    ids = torch.tensor([[0] * (6 - len(p)) + p for p in prompts])
    mask = (ids != 0).long()
    tok_b, log_b = unsloth_fast_generate(model, ids, mask)
    tok_s, log_s = unsloth_fast_generate(model, torch.tensor(prompts[:1]), torch.ones(1, 3, dtype=torch.long))
    d = (log_b[0] - log_s[0]).abs().max().item()
    print(f"shorter prompt in left-padded batch: decode-step logits vs alone max |diff| = {d:.4f}; tokens match={tok_b[0].tolist() == tok_s[0].tolist()}")
