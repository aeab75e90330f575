# EXPECT: bug once the KV cache is non-empty the attention mask is dropped (is_causal=False, no attn_mask), which is only right for one-token decoding; the second chunk of a chunked prefill then attends to later tokens of its own chunk.
"""Imitates Lightning-AI litgpt (model.py CausalSelfAttention with a KVCache module,
input_pos tensors, index_copy_ into preallocated cache buffers) driven by a
chunked-prefill generate loop such as the ones in litgpt/generate or gpt-fast."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class KVCache(nn.Module):
    def __init__(self, k_shape, v_shape):
        super().__init__()
        self.register_buffer("k", torch.zeros(k_shape), persistent=False)
        self.register_buffer("v", torch.zeros(v_shape), persistent=False)

    def forward(self, input_pos, k, v):
        self.k.index_copy_(2, input_pos, k)
        self.v.index_copy_(2, input_pos, v)
        return self.k, self.v


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.attn = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.proj = nn.Linear(n_embd, n_embd, bias=False)
        self.n_head, self.head_size, self.dropout = n_head, n_embd // n_head, dropout
        self.kv_cache = None

    def forward(self, x, cos, sin, input_pos=None):
        B, T, C = x.size()
        q, k, v = self.attn(x).view(B, T, 3, self.n_head, self.head_size).permute(2, 0, 3, 1, 4)
        q = apply_rope(q, cos, sin)
        k = apply_rope(k, cos, sin)
        if input_pos is not None:
            k, v = self.kv_cache(input_pos, k, v)
            k, v = k[:, :, : input_pos[-1] + 1], v[:, :, : input_pos[-1] + 1]
        first_chunk = input_pos is None or int(input_pos[0]) == 0
        y = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0.0, is_causal=first_chunk
        )
        return self.proj(y.transpose(1, 2).reshape(B, T, C))


def build_rope_cache(seq_len, n_elem, base=10000):
    theta = 1.0 / (base ** (torch.arange(0, n_elem, 2).float() / n_elem))
    idx_theta = torch.outer(torch.arange(seq_len).float(), theta).repeat(1, 2)
    return torch.cos(idx_theta), torch.sin(idx_theta)


def apply_rope(x, cos, sin):
    head_size = x.size(-1)
    x1, x2 = x[..., : head_size // 2], x[..., head_size // 2 :]
    rotated = torch.cat((-x2, x1), dim=-1)
    return x * cos + rotated * sin


class Block(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.norm_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.norm_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 2 * n_embd), nn.SiLU(), nn.Linear(2 * n_embd, n_embd))
        self.drop = nn.Dropout(dropout)

    def forward(self, x, cos, sin, input_pos=None):
        x = x + self.drop(self.attn(self.norm_1(x), cos, sin, input_pos))
        return x + self.drop(self.mlp(self.norm_2(x)))


class GPT(nn.Module):
    def __init__(self, vocab=40, n_embd=32, n_head=4, n_layer=2, max_seq_length=16, dropout=0.1):
        super().__init__()
        self.max_seq_length = max_seq_length
        self.wte = nn.Embedding(vocab, n_embd)
        self.h = nn.ModuleList([Block(n_embd, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)
        cos, sin = build_rope_cache(max_seq_length, n_embd // n_head)
        self.register_buffer("cos", cos, persistent=False)
        self.register_buffer("sin", sin, persistent=False)

    def set_kv_cache(self, batch_size):
        for blk in self.h:
            a = blk.attn
            shape = (batch_size, a.n_head, self.max_seq_length, a.head_size)
            a.kv_cache = KVCache(shape, shape)

    def forward(self, idx, input_pos=None):
        T = idx.size(1)
        if input_pos is not None:
            cos, sin = self.cos.index_select(0, input_pos), self.sin.index_select(0, input_pos)
        else:
            cos, sin = self.cos[:T], self.sin[:T]
        x = self.wte(idx)
        for blk in self.h:
            x = blk(x, cos, sin, input_pos)
        return self.lm_head(self.ln_f(x))


@torch.no_grad()
def generate(model, prompt, max_new_tokens, prefill_chunk=4):
    model.set_kv_cache(prompt.size(0))
    prompt_logits = []
    for start in range(0, prompt.size(1), prefill_chunk):
        chunk = prompt[:, start : start + prefill_chunk]
        input_pos = torch.arange(start, start + chunk.size(1))
        prompt_logits.append(model(chunk, input_pos))
    logits = torch.cat(prompt_logits, dim=1)
    tokens = []
    nxt = logits[:, -1].argmax(-1, keepdim=True)
    pos = prompt.size(1)
    for _ in range(max_new_tokens):
        tokens.append(nxt)
        step_logits = model(nxt, torch.tensor([pos]))
        nxt = step_logits[:, -1].argmax(-1, keepdim=True)
        pos += 1
    return logits, torch.cat(tokens, dim=1)


def run():
    torch.manual_seed(0)
    model = GPT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(9)
    data = torch.randint(0, 40, (3, 13), generator=g)

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    prompt = torch.randint(0, 40, (2, 10), generator=g)
    prompt_logits, new_tokens = generate(model, prompt, max_new_tokens=4)
    return [loss.detach(), *grads, prompt_logits, new_tokens]
