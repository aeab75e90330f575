# EXPECT: bug the flex_attention mask_mod ANDs the causal rule with the pad mask (True = pad token) instead of its negation, so real tokens may attend only to padding and padded positions are the only visible keys.
"""Batched prompt scoring for a small Llama-like decoder in the style of pytorch-labs/gpt-fast, with FlexAttention block masks for padded batches."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.attention.flex_attention import create_block_mask, flex_attention


class ModelArgs:
    vocab_size = 48
    dim = 32
    n_head = 4
    n_layer = 2
    max_seq_len = 16
    dropout = 0.1
    pad_id = 0


class RMSNorm(nn.Module):
    def __init__(self, dim, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Attention(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.n_head = args.n_head
        self.head_dim = args.dim // args.n_head
        self.wqkv = nn.Linear(args.dim, 3 * args.dim, bias=False)
        self.wo = nn.Linear(args.dim, args.dim, bias=False)
        self.dropout = args.dropout

    def forward(self, x, block_mask=None):
        bsz, seqlen, _ = x.shape
        q, k, v = self.wqkv(x).split(x.size(-1), dim=-1)
        q, k, v = (t.view(bsz, seqlen, self.n_head, self.head_dim).transpose(1, 2) for t in (q, k, v))
        if block_mask is None:
            y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
        else:
            y = flex_attention(q, k, v, block_mask=block_mask)  # BUG-SITE
        return self.wo(y.transpose(1, 2).reshape(bsz, seqlen, -1))


class TransformerBlock(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.attention = Attention(args)
        self.feed_forward = nn.Sequential(nn.Linear(args.dim, 64, bias=False), nn.SiLU(), nn.Linear(64, args.dim, bias=False))
        self.attention_norm = RMSNorm(args.dim)
        self.ffn_norm = RMSNorm(args.dim)
        self.drop = nn.Dropout(args.dropout)

    def forward(self, x, block_mask=None):
        h = x + self.drop(self.attention(self.attention_norm(x), block_mask))
        return h + self.drop(self.feed_forward(self.ffn_norm(h)))


class Transformer(nn.Module):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.tok_embeddings = nn.Embedding(args.vocab_size, args.dim)
        self.pos_embeddings = nn.Embedding(args.max_seq_len, args.dim)
        self.layers = nn.ModuleList([TransformerBlock(args) for _ in range(args.n_layer)])
        self.norm = RMSNorm(args.dim)
        self.output = nn.Linear(args.dim, args.vocab_size, bias=False)

    def forward(self, tokens, block_mask=None):
        pos = torch.arange(tokens.size(1))
        h = self.tok_embeddings(tokens) + self.pos_embeddings(pos)
        for layer in self.layers:
            h = layer(h, block_mask)
        return self.output(self.norm(h))


def padded_causal_block_mask(tokens, pad_id):
    is_pad = tokens == pad_id
    B, S = tokens.shape

    def mask_mod(b, h, q_idx, kv_idx):
        return (q_idx >= kv_idx) & is_pad[b, kv_idx]

    return create_block_mask(mask_mod, B, None, S, S, device="cpu")


@torch.no_grad()
def score_prompts(model, tokens, lengths):
    block_mask = padded_causal_block_mask(tokens, model.args.pad_id)
    y = model(tokens, block_mask=block_mask)
    last = y[torch.arange(tokens.size(0)), lengths - 1]
    return last.log_softmax(-1)


def run():
    torch.manual_seed(0)
    args = ModelArgs()
    model = Transformer(args)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    packed = torch.randint(1, args.vocab_size, (4, 13))
    model.train()
    logits = model(packed[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, args.vocab_size), packed[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    lengths = torch.tensor([5, 9, 3])
    prompts = torch.zeros(3, 10, dtype=torch.long)
    for i, n in enumerate(lengths.tolist()):
        prompts[i, :n] = torch.randint(1, args.vocab_size, (n,))
    logp = score_prompts(model, prompts, lengths)
    return [loss.detach(), *grads, logp]
