# EXPECT: bug
"""Llama-flavoured decoder with a KV cache for generation (RMSNorm, SwiGLU, no RoPE)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-6):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, dim, n_heads, attn_dropout):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.wq = nn.Linear(dim, dim, bias=False)
        self.wk = nn.Linear(dim, dim, bias=False)
        self.wv = nn.Linear(dim, dim, bias=False)
        self.wo = nn.Linear(dim, dim, bias=False)
        self.attn_dropout = attn_dropout

    def forward(self, x, cache=None):
        bsz, seqlen, _ = x.shape
        q = self.wq(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        k = self.wk(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        v = self.wv(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        if cache is not None:
            if "k" in cache:
                k = torch.cat([cache["k"], k], dim=2)
                v = torch.cat([cache["v"], v], dim=2)
            cache["k"], cache["v"] = k, v
        out = F.scaled_dot_product_attention(q, k, v, dropout_p=self.attn_dropout if self.training else 0.0, is_causal=True)  # BUG-SITE
        return self.wo(out.transpose(1, 2).reshape(bsz, seqlen, -1))


class Block(nn.Module):
    def __init__(self, dim, n_heads, p):
        super().__init__()
        self.attention_norm = RMSNorm(dim)
        self.attention = Attention(dim, n_heads, p)
        self.ffn_norm = RMSNorm(dim)
        self.w1 = nn.Linear(dim, 2 * dim, bias=False)
        self.w3 = nn.Linear(dim, 2 * dim, bias=False)
        self.w2 = nn.Linear(2 * dim, dim, bias=False)
        self.drop = nn.Dropout(p)

    def forward(self, x, cache=None):
        h = x + self.drop(self.attention(self.attention_norm(x), cache))
        n = self.ffn_norm(h)
        return h + self.drop(self.w2(F.silu(self.w1(n)) * self.w3(n)))


class TinyLlama(nn.Module):
    def __init__(self, vocab=64, dim=32, n_heads=4, n_layers=2, p=0.1, max_len=32):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab, dim)
        self.pos = nn.Embedding(max_len, dim)
        self.layers = nn.ModuleList([Block(dim, n_heads, p) for _ in range(n_layers)])
        self.norm = RMSNorm(dim)
        self.output = nn.Linear(dim, vocab, bias=False)

    def forward(self, tokens, start_pos=0, caches=None):
        pos = torch.arange(start_pos, start_pos + tokens.size(1))
        h = self.tok_embeddings(tokens) + self.pos(pos)
        for i, layer in enumerate(self.layers):
            h = layer(h, None if caches is None else caches[i])
        return self.output(self.norm(h))

    @torch.no_grad()
    def generate(self, prompt, max_new_tokens):
        caches = [{} for _ in self.layers]
        logits = self(prompt, 0, caches)
        out, all_logits = prompt, [logits[:, -1]]
        for _ in range(max_new_tokens):
            nxt = logits[:, -1].argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], dim=1)
            logits = self(nxt, out.size(1) - 1, caches)
            all_logits.append(logits[:, -1])
        return out, torch.stack(all_logits, 1)


def run():
    torch.manual_seed(0)
    model = TinyLlama()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.1)
    data = torch.randint(0, 64, (4, 17))
    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 64), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    tokens, gen_logits = model.generate(data[:2, :6], 6)
    return [loss.detach(), tokens, gen_logits]
