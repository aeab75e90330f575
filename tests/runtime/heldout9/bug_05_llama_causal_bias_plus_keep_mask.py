# EXPECT: bug the 0/1 padding attention_mask is added to the finfo.min causal bias instead of turning padding into finfo.min, so left-padding tokens stay attendable in the decoder.
"""Imitates Hugging Face Llama (_prepare_4d_causal_attention_mask / LlamaSdpaAttention)
with left-padded batched prompts, position_ids from cumsum(attention_mask), rotary
embeddings, a causal-LM loss and a batched greedy generation loop."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rope(q, k, position_ids, dim, base=10000.0):
    inv_freq = 1.0 / (base ** (torch.arange(0, dim, 2).float() / dim))
    freqs = position_ids[..., None].float() * inv_freq  # [B, T, dim/2]
    emb = torch.cat((freqs, freqs), dim=-1)[:, None]
    cos, sin = emb.cos(), emb.sin()
    return q * cos + rotate_half(q) * sin, k * cos + rotate_half(k) * sin


def prepare_4d_causal_attention_mask(attention_mask, dtype):
    bsz, tgt_len = attention_mask.shape
    min_value = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_value, dtype=dtype).triu(1)
    causal = causal[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)
    return causal + attention_mask[:, None, None, :].to(dtype)


class LlamaAttention(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.heads, self.head_dim, self.dropout = heads, hidden // heads, dropout
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, causal_mask, position_ids):
        B, T, _ = x.shape
        q = self.q_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(B, T, self.heads, self.head_dim).transpose(1, 2)
        q, k = rope(q, k, position_ids, self.head_dim)
        out = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=causal_mask, dropout_p=self.dropout if self.training else 0.0
        )
        return self.o_proj(out.transpose(1, 2).reshape(B, T, -1))


class RMSNorm(nn.Module):
    def __init__(self, d, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))
        self.eps = eps

    def forward(self, x):
        return self.weight * x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)


class DecoderLayer(nn.Module):
    def __init__(self, hidden, heads, dropout):
        super().__init__()
        self.input_layernorm = RMSNorm(hidden)
        self.self_attn = LlamaAttention(hidden, heads, dropout)
        self.post_attention_layernorm = RMSNorm(hidden)
        self.gate = nn.Linear(hidden, 2 * hidden, bias=False)
        self.up = nn.Linear(hidden, 2 * hidden, bias=False)
        self.down = nn.Linear(2 * hidden, hidden, bias=False)

    def forward(self, x, mask, pos):
        x = x + self.self_attn(self.input_layernorm(x), mask, pos)
        h = self.post_attention_layernorm(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class LlamaForCausalLM(nn.Module):
    def __init__(self, vocab=40, hidden=32, heads=4, layers=2, dropout=0.1):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([DecoderLayer(hidden, heads, dropout) for _ in range(layers)])
        self.norm = RMSNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        mask = prepare_4d_causal_attention_mask(attention_mask, torch.float32)
        x = self.embed_tokens(input_ids)
        for layer in self.layers:
            x = layer(x, mask, position_ids)
        return self.lm_head(self.norm(x))

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens=4):
        for _ in range(max_new_tokens):
            logits = self(input_ids, attention_mask)
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, nxt], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(nxt)], dim=1)
        return input_ids, logits[:, -1]


def left_pad(seqs, pad_id=0):
    n = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), n), pad_id, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, n - len(s):] = s
        mask[i, n - len(s):] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    model = LlamaForCausalLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(2)
    ids, mask = left_pad([torch.randint(1, 40, (n,), generator=g) for n in (10, 6, 8, 3)])
    labels = ids.masked_fill(mask == 0, -100)

    model.train()
    logits = model(ids, mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 40), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    prompts, pmask = left_pad([torch.randint(1, 40, (n,), generator=g) for n in (5, 2, 7)])
    out_ids, last_logits = model.generate(prompts, pmask)
    return [loss.detach(), *grads, out_ids, last_logits]
