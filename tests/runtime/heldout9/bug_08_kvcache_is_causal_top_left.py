# EXPECT: bug during KV-cache decoding the single new query is attended with is_causal=True against the longer cached keys; SDPA aligns the causal mask top-left, so the new token sees only the first cached key.
"""Imitates the many nanoGPT forks that bolt a KV cache onto CausalSelfAttention
(e.g. nanoGPT-with-kv-cache / gpt-fast style layer_past tuples) and keep the
flash-attention call `F.scaled_dot_product_attention(..., is_causal=True)`."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.n_head, self.n_embd, self.dropout = n_head, n_embd, dropout

    def forward(self, x, layer_past=None):
        B, T, C = x.size()
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)
        q = q.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        k = k.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        v = v.view(B, T, self.n_head, C // self.n_head).transpose(1, 2)
        if layer_past is not None:
            past_k, past_v = layer_past
            k = torch.cat((past_k, k), dim=-2)
            v = torch.cat((past_v, v), dim=-2)
        present = (k, v)
        y = F.scaled_dot_product_attention(  # BUG-SITE
            q, k, v, attn_mask=None, dropout_p=self.dropout if self.training else 0.0, is_causal=True
        )
        y = y.transpose(1, 2).contiguous().view(B, T, C)
        return self.c_proj(y), present


class Block(nn.Module):
    def __init__(self, n_embd, n_head, dropout):
        super().__init__()
        self.ln_1 = nn.LayerNorm(n_embd)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.ln_2 = nn.LayerNorm(n_embd)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd), nn.GELU(), nn.Linear(4 * n_embd, n_embd), nn.Dropout(dropout))

    def forward(self, x, layer_past=None):
        a, present = self.attn(self.ln_1(x), layer_past)
        x = x + a
        return x + self.mlp(self.ln_2(x)), present


class GPT(nn.Module):
    def __init__(self, vocab=32, block_size=16, n_layer=2, n_head=4, n_embd=32, dropout=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, n_embd)
        self.wpe = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.h = nn.ModuleList([Block(n_embd, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab, bias=False)

    def forward(self, idx, past_key_values=None):
        past_length = 0 if past_key_values is None else past_key_values[0][0].size(-2)
        pos = torch.arange(past_length, past_length + idx.size(1))
        x = self.drop(self.wte(idx) + self.wpe(pos))
        presents = []
        for i, block in enumerate(self.h):
            x, present = block(x, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        return self.lm_head(self.ln_f(x)), presents

    @torch.no_grad()
    def generate(self, idx, max_new_tokens):
        logits, past = self(idx)
        all_logits = []
        for _ in range(max_new_tokens):
            next_logits = logits[:, -1, :]
            all_logits.append(next_logits)
            idx_next = next_logits.argmax(-1, keepdim=True)
            idx = torch.cat((idx, idx_next), dim=1)
            logits, past = self(idx_next, past_key_values=past)
        return idx, torch.stack(all_logits, dim=1)


def run():
    torch.manual_seed(0)
    model = GPT()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    g = torch.Generator().manual_seed(4)
    data = torch.randint(0, 32, (4, 13), generator=g)
    x, y = data[:, :-1], data[:, 1:]

    model.train()
    logits, _ = model(x)
    loss = F.cross_entropy(logits.reshape(-1, 32), y.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    grads = [p.grad.detach().clone() for p in model.parameters()]

    model.eval()
    with torch.no_grad():
        prompt = torch.randint(0, 32, (2, 6), generator=g)
        out, gen_logits = model.generate(prompt, max_new_tokens=6)
    return [loss.detach(), *grads, out, gen_logits]
