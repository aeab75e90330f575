# EXPECT: bug the additive mask is built as blocked * -1e9 in float32 and cast to the float16 model dtype, where -1e9 overflows to -inf, so left-padded query rows have every score at -inf and their softmax is NaN, which then spreads to every token.
"""Half-precision Llama-style decoder with eager attention and left-padded batched generation, in the style of meta-llama/llama (model.py) and HF LlamaAttention eager path."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class ModelArgs:
    dim = 32
    n_layers = 2
    n_heads = 4
    vocab_size = 40
    norm_eps = 1e-5
    max_seq_len = 24
    dropout = 0.1
    pad_id = 0


class RMSNorm(nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        xf = x.float()
        return (xf * torch.rsqrt(xf.pow(2).mean(-1, keepdim=True) + self.eps)).type_as(x) * self.weight


def rotate_half(x):
    x1, x2 = x.chunk(2, dim=-1)
    return torch.cat((-x2, x1), dim=-1)


def rope(x, position_ids, head_dim):
    inv_freq = 1.0 / (10000 ** (torch.arange(0, head_dim, 2).float() / head_dim))
    freqs = position_ids[..., None].float() * inv_freq
    emb = torch.cat([freqs, freqs], -1)
    cos, sin = emb.cos()[:, None].to(x.dtype), emb.sin()[:, None].to(x.dtype)
    return x * cos + rotate_half(x) * sin


class Attention(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.n_heads = args.n_heads
        self.head_dim = args.dim // args.n_heads
        self.wq = nn.Linear(args.dim, args.dim, bias=False)
        self.wk = nn.Linear(args.dim, args.dim, bias=False)
        self.wv = nn.Linear(args.dim, args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.attn_dropout = nn.Dropout(args.dropout)

    def forward(self, x, position_ids, mask):
        bsz, seqlen, _ = x.shape
        xq = self.wq(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        xk = self.wk(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        xv = self.wv(x).view(bsz, seqlen, self.n_heads, self.head_dim).transpose(1, 2)
        xq, xk = rope(xq, position_ids, self.head_dim), rope(xk, position_ids, self.head_dim)
        scores = torch.matmul(xq, xk.transpose(2, 3)) / math.sqrt(self.head_dim)
        scores = scores + mask  # BUG-SITE
        scores = F.softmax(scores.float(), dim=-1).type_as(xq)
        scores = self.attn_dropout(scores)
        output = torch.matmul(scores, xv)
        return self.wo(output.transpose(1, 2).reshape(bsz, seqlen, -1))


class TransformerBlock(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.attention = Attention(args)
        self.feed_forward = nn.Sequential(nn.Linear(args.dim, 64, bias=False), nn.SiLU(), nn.Linear(64, args.dim, bias=False))
        self.attention_norm = RMSNorm(args.dim, args.norm_eps)
        self.ffn_norm = RMSNorm(args.dim, args.norm_eps)
        self.drop = nn.Dropout(args.dropout)

    def forward(self, x, position_ids, mask):
        h = x + self.drop(self.attention(self.attention_norm(x), position_ids, mask))
        return h + self.drop(self.feed_forward(self.ffn_norm(h)))


class Transformer(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.tok_embeddings = nn.Embedding(args.vocab_size, args.dim)
        self.layers = nn.ModuleList([TransformerBlock(args) for _ in range(args.n_layers)])
        self.norm = RMSNorm(args.dim, args.norm_eps)
        self.output = nn.Linear(args.dim, args.vocab_size, bias=False)

    def forward(self, tokens, attention_mask):
        bsz, seqlen = tokens.shape
        h = self.tok_embeddings(tokens)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        causal = torch.triu(torch.ones(seqlen, seqlen, dtype=torch.bool), diagonal=1)
        blocked = causal[None, None] | (attention_mask[:, None, None, :] == 0)
        mask = (blocked.float() * -1e9).to(h.dtype)
        for layer in self.layers:
            h = layer(h, position_ids, mask)
        return self.output(self.norm(h)).float()

    @torch.no_grad()
    def generate(self, tokens, attention_mask, max_gen_len):
        for _ in range(max_gen_len):
            logits = self(tokens, attention_mask)
            next_token = logits[:, -1].argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, next_token], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_token)], dim=1)
        return tokens, logits[:, -1]


def run():
    torch.manual_seed(0)
    args = ModelArgs()
    model = Transformer(args).half()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    tokens = torch.randint(1, args.vocab_size, (3, 10))
    attn = torch.ones_like(tokens)
    tokens[1, 7:] = args.pad_id
    attn[1, 7:] = 0
    model.train()
    logits = model(tokens[:, :-1], attn[:, :-1])
    labels = tokens[:, 1:].masked_fill(attn[:, 1:] == 0, -100)
    loss = F.cross_entropy(logits.reshape(-1, args.vocab_size), labels.reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    prompts = torch.randint(1, args.vocab_size, (2, 6))
    prompt_mask = torch.ones_like(prompts)
    prompts[0, :2] = args.pad_id
    prompt_mask[0, :2] = 0
    out, last_logits = model.generate(prompts, prompt_mask, 4)
    return [loss.detach(), *grads, out, last_logits]
