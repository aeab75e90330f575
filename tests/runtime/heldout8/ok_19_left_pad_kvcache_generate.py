# EXPECT: clean
"""Batched generation with left-padded prompts and a KV cache (HF generate()
style). The boolean SDPA mask (True = attend) is causal AND not-padding during
prefill (pad query rows are allowed to attend to themselves so no row is
empty); every decode step passes the running attention_mask so cached left
padding stays hidden. Position ids come from attention_mask.cumsum.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD = 0


class Attention(nn.Module):
    def __init__(self, d, n_heads, p):
        super().__init__()
        self.n_heads = n_heads
        self.c_attn = nn.Linear(d, 3 * d)
        self.c_proj = nn.Linear(d, d)
        self.p = p

    def forward(self, x, mask, layer_past=None):
        B, T, C = x.shape
        q, k, v = (t.view(B, T, self.n_heads, -1).transpose(1, 2) for t in self.c_attn(x).split(C, dim=2))
        if layer_past is not None:
            k = torch.cat([layer_past[0], k], dim=2)
            v = torch.cat([layer_past[1], v], dim=2)
        y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=self.p if self.training else 0.0)
        return self.c_proj(y.transpose(1, 2).reshape(B, T, C)), (k, v)


class Block(nn.Module):
    def __init__(self, d, n_heads, p):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d)
        self.attn = Attention(d, n_heads, p)
        self.ln_2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(approximate="tanh"), nn.Linear(4 * d, d))
        self.drop = nn.Dropout(p)

    def forward(self, x, mask, layer_past=None):
        a, present = self.attn(self.ln_1(x), mask, layer_past)
        x = x + self.drop(a)
        return x + self.drop(self.mlp(self.ln_2(x))), present


def build_mask(attention_mask, q_len):
    """(B, 1, q_len, kv_len) bool for the last q_len positions of a kv_len sequence."""
    B, kv_len = attention_mask.shape
    q_pos = torch.arange(kv_len - q_len, kv_len)[:, None]
    k_pos = torch.arange(kv_len)[None, :]
    allowed = (k_pos <= q_pos)[None] & attention_mask.bool()[:, None, :]
    allowed = allowed | (k_pos == q_pos)[None]  # padded query rows see themselves only
    return allowed[:, None]


class GPT(nn.Module):
    def __init__(self, vocab=50, d=32, n_heads=4, n_layers=2, max_len=32, p=0.1):
        super().__init__()
        self.wte = nn.Embedding(vocab, d)
        self.wpe = nn.Embedding(max_len, d)
        self.drop = nn.Dropout(p)
        self.h = nn.ModuleList([Block(d, n_heads, p) for _ in range(n_layers)])
        self.ln_f = nn.LayerNorm(d)
        self.lm_head = nn.Linear(d, vocab, bias=False)

    def forward(self, input_ids, attention_mask, past_key_values=None):
        q_len = input_ids.size(1)
        position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)[:, -q_len:]
        mask = build_mask(attention_mask, q_len)
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        presents = []
        for i, block in enumerate(self.h):
            x, present = block(x, mask, None if past_key_values is None else past_key_values[i])
            presents.append(present)
        return self.lm_head(self.ln_f(x)), presents

    @torch.no_grad()
    def generate(self, input_ids, attention_mask, max_new_tokens):
        logits, past = self(input_ids, attention_mask)
        step_logits = []
        for _ in range(max_new_tokens):
            next_tokens = logits[:, -1].argmax(-1, keepdim=True)
            input_ids = torch.cat([input_ids, next_tokens], dim=1)
            attention_mask = torch.cat([attention_mask, torch.ones_like(next_tokens)], dim=1)
            logits, past = self(next_tokens, attention_mask, past)
            step_logits.append(logits[:, -1])
        return input_ids, torch.stack(step_logits, 1)


def left_pad(seqs):
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), PAD, dtype=torch.long)
    mask = torch.zeros(len(seqs), T, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, T - len(s):] = s
        mask[i, T - len(s):] = 1
    return ids, mask


def run():
    torch.manual_seed(0)
    model = GPT()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
    seqs = [torch.randint(1, 50, (n,)) for n in (12, 7, 9)]
    input_ids, attention_mask = left_pad(seqs)
    labels = input_ids.masked_fill(attention_mask == 0, -100)

    model.train()
    logits, _ = model(input_ids, attention_mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 50), labels[:, 1:].reshape(-1), ignore_index=-100)
    optimizer.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() for p in model.parameters()]
    optimizer.step()

    model.eval()
    with torch.no_grad():
        prompts, prompt_mask = left_pad([s[:5 + i] for i, s in enumerate(seqs)])
        generated, step_logits = model.generate(prompts, prompt_mask, max_new_tokens=4)
    return [loss.detach(), *grads, generated, step_logits]
