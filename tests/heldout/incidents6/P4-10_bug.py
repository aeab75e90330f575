"""MoE-free slice of a Hunyuan-like chat model: eager attention plus a greedy generate loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class EagerAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(dim, 3 * dim, bias=False)
        self.o = nn.Linear(dim, dim, bias=False)

    def forward(self, x, attention_mask=None):
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.heads, D // self.heads).permute(2, 0, 3, 1, 4)
        w = (q @ k.transpose(-2, -1)) * (D // self.heads) ** -0.5
        if attention_mask is not None:
            w = w + attention_mask
        w = F.softmax(w, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o((w @ v).transpose(1, 2).reshape(B, T, D))


class ChatModel(nn.Module):
    def __init__(self, vocab=100, dim=32, heads=4, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([EagerAttention(dim, heads) for _ in range(layers)])
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)

    def _prepare_4d_causal_attention_mask(self, attention_mask, dtype):
        bsz, seq_len = attention_mask.shape
        min_val = torch.finfo(dtype).min
        causal = torch.full((seq_len, seq_len), min_val, dtype=dtype).triu(1)
        pad = (1.0 - attention_mask[:, None, None, :].to(dtype)) * min_val
        return (causal[None, None] + pad).clamp(min=min_val)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed(input_ids)
        if attention_mask is not None:
            causal_mask = self._prepare_4d_causal_attention_mask(attention_mask, h.dtype)
        else:
            causal_mask = None  # BUG
        for layer in self.layers:
            h = h + layer(h, causal_mask)
        return self.lm_head(self.norm(h))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask=None, max_new_tokens=5):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            if attention_mask is not None:
                attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ChatModel().eval()
    prompt = torch.randint(0, 100, (1, 6))
    print(model.generate(prompt))
