# EXPECT: clean
"""Imitates gpt-fast / torchtune KV-cache inference: training uses
is_causal=True on square inputs, while cached multi-token chunks (chunked
prefill, then single-token decode) use torch.nn.attention.bias.causal_lower_right,
i.e. a bottom-right aligned causal mask over [cache + new] keys."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.bias import causal_lower_right


class KVCache(nn.Module):
    def __init__(self, batch, heads, max_len, head_dim):
        super().__init__()
        self.register_buffer("k_cache", torch.zeros(batch, heads, max_len, head_dim), persistent=False)
        self.register_buffer("v_cache", torch.zeros(batch, heads, max_len, head_dim), persistent=False)
        self.length = 0

    def update(self, k, v):
        T = k.size(2)
        self.k_cache[:, :, self.length : self.length + T] = k
        self.v_cache[:, :, self.length : self.length + T] = v
        self.length += T
        return self.k_cache[:, :, : self.length], self.v_cache[:, :, : self.length]


class Attention(nn.Module):
    def __init__(self, dim, n_head, dropout):
        super().__init__()
        self.n_head, self.head_dim, self.dropout = n_head, dim // n_head, dropout
        self.wqkv = nn.Linear(dim, 3 * dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.kv_cache = None

    def forward(self, x, freqs):
        B, T, D = x.shape
        q, k, v = self.wqkv(x).view(B, T, 3, self.n_head, self.head_dim).permute(2, 0, 3, 1, 4)
        q, k = apply_rotary(q, freqs), apply_rotary(k, freqs)
        if self.kv_cache is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
        else:
            k, v = self.kv_cache.update(k, v)
            y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal_lower_right(T, k.size(2)))
        return self.wo(y.transpose(1, 2).reshape(B, T, D))


def precompute_freqs(seq_len, n_elem, base=10000):
    freqs = 1.0 / (base ** (torch.arange(0, n_elem, 2).float() / n_elem))
    angles = torch.outer(torch.arange(seq_len).float(), freqs)
    return torch.stack([angles.cos(), angles.sin()], dim=-1)


def apply_rotary(x, freqs):
    xs = x.reshape(*x.shape[:-1], -1, 2)
    c, s = freqs[..., 0], freqs[..., 1]
    out = torch.stack([xs[..., 0] * c - xs[..., 1] * s, xs[..., 1] * c + xs[..., 0] * s], dim=-1)
    return out.flatten(-2)


class TransformerBlock(nn.Module):
    def __init__(self, dim, n_head, dropout):
        super().__init__()
        self.attention_norm = nn.RMSNorm(dim)
        self.attention = Attention(dim, n_head, dropout)
        self.ffn_norm = nn.RMSNorm(dim)
        self.w1 = nn.Linear(dim, 2 * dim, bias=False)
        self.w3 = nn.Linear(dim, 2 * dim, bias=False)
        self.w2 = nn.Linear(2 * dim, dim, bias=False)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, freqs):
        x = x + self.drop(self.attention(self.attention_norm(x), freqs))
        h = self.ffn_norm(x)
        return x + self.drop(self.w2(F.silu(self.w1(h)) * self.w3(h)))


class Transformer(nn.Module):
    def __init__(self, vocab=40, dim=32, n_head=4, n_layer=2, max_seq_length=24, dropout=0.1):
        super().__init__()
        self.max_seq_length = max_seq_length
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList([TransformerBlock(dim, n_head, dropout) for _ in range(n_layer)])
        self.norm = nn.RMSNorm(dim)
        self.output = nn.Linear(dim, vocab, bias=False)
        self.register_buffer("freqs_cis", precompute_freqs(max_seq_length, dim // n_head), persistent=False)

    def setup_caches(self, batch):
        for layer in self.layers:
            a = layer.attention
            a.kv_cache = KVCache(batch, a.n_head, self.max_seq_length, a.head_dim)

    def clear_caches(self):
        for layer in self.layers:
            layer.attention.kv_cache = None

    def forward(self, idx, input_pos):
        freqs = self.freqs_cis[input_pos]
        x = self.tok_embeddings(idx)
        for layer in self.layers:
            x = layer(x, freqs)
        return self.output(self.norm(x))


@torch.no_grad()
def generate(model, prompt, max_new_tokens, chunk=3):
    model.setup_caches(prompt.size(0))
    chunks = []
    for s in range(0, prompt.size(1), chunk):
        piece = prompt[:, s : s + chunk]
        chunks.append(model(piece, torch.arange(s, s + piece.size(1))))
    prompt_logits = torch.cat(chunks, dim=1)
    nxt = prompt_logits[:, -1].argmax(-1, keepdim=True)
    out, pos = [nxt], prompt.size(1)
    for _ in range(max_new_tokens - 1):
        nxt = model(nxt, torch.tensor([pos]))[:, -1].argmax(-1, keepdim=True)
        out.append(nxt)
        pos += 1
    model.clear_caches()
    return prompt_logits, torch.cat(out, dim=1)


def run():
    torch.manual_seed(0)
    model = Transformer()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(103)
    data = torch.randint(0, 40, (4, 14), generator=g)

    model.train()
    logits = model(data[:, :-1], torch.arange(13))
    loss = F.cross_entropy(logits.reshape(-1, 40), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    prompt = torch.randint(0, 40, (2, 8), generator=g)
    prompt_logits, new_tokens = generate(model, prompt, max_new_tokens=5)
    return [loss.detach(), *grads, prompt_logits, new_tokens]
