# EXPECT: bug once a KV cache exists the decoder drops the causal mask (written for 1-token decode), but speculative verification feeds a chunk of several draft tokens, which then attend to later draft tokens
"""Target model for speculative decoding: prefill the prompt, then verify a
block of draft tokens in a single forward pass with the KV cache.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model, n_head, max_len, dropout):
        super().__init__()
        self.n_head = n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out_proj = nn.Linear(d_model, d_model, bias=False)
        self.dropout = dropout
        self.register_buffer("causal", torch.ones(max_len, max_len, dtype=torch.bool).tril(), persistent=False)

    def forward(self, x, layer_cache=None):
        B, T, C = x.shape
        qkv = self.Wqkv(x).view(B, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0], qkv[1], qkv[2]
        if layer_cache is not None and "k" in layer_cache:
            k = torch.cat([layer_cache["k"], k], dim=2)
            v = torch.cat([layer_cache["v"], v], dim=2)
            attn_mask = None  # new token(s) can look at the whole cache
        else:
            attn_mask = self.causal[:T, :T]
        if layer_cache is not None:
            layer_cache["k"], layer_cache["v"] = k, v
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=self.dropout if self.training else 0.0)  # BUG-SITE
        return self.out_proj(y.transpose(1, 2).reshape(B, T, C))


class Block(nn.Module):
    def __init__(self, d_model, n_head, max_len, dropout):
        super().__init__()
        self.norm1 = nn.LayerNorm(d_model)
        self.attn = CachedSelfAttention(d_model, n_head, max_len, dropout)
        self.norm2 = nn.LayerNorm(d_model)
        self.ff = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.SiLU(), nn.Dropout(dropout), nn.Linear(2 * d_model, d_model))

    def forward(self, x, layer_cache=None):
        x = x + self.attn(self.norm1(x), layer_cache)
        return x + self.ff(self.norm2(x))


class TargetLM(nn.Module):
    def __init__(self, vocab=40, d_model=32, n_head=2, n_layer=2, max_len=32, dropout=0.1):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(d_model, n_head, max_len, dropout) for _ in range(n_layer)])
        self.norm = nn.LayerNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab, bias=False)

    def forward(self, idx, cache=None, offset=0):
        pos = torch.arange(offset, offset + idx.size(1))
        x = self.drop(self.tok(idx) + self.pos(pos))
        for i, blk in enumerate(self.blocks):
            x = blk(x, None if cache is None else cache[i])
        return self.lm_head(self.norm(x))


@torch.no_grad()
def verify_draft(model, prompt, draft):
    cache = [dict() for _ in model.blocks]
    prefix_logits = model(prompt, cache, 0)
    draft_logits = model(draft, cache, prompt.size(1))
    # token-level acceptance (greedy): accept draft[i] if the target agrees
    target_pred = torch.cat([prefix_logits[:, -1:], draft_logits[:, :-1]], dim=1).argmax(-1)
    accepted = (target_pred == draft).long().cumprod(dim=1).sum(dim=1)
    return draft_logits, accepted


def run():
    torch.manual_seed(0)
    model = TargetLM()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 40, (4, 15))

    model.train()
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), data[:, 1:].reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        prompt = data[:2, :8]
        draft = torch.randint(0, 40, (2, 4))
        draft_logits, accepted = verify_draft(model, prompt, draft)
    return [loss.detach(), *grads, draft_logits, accepted]
