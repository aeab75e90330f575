# EXPECT: bug scaled_dot_product_attention is always called with is_causal=True, so during cached decoding (1 query, many cached keys) the upper-left causal alignment lets the new token see only the first key.
"""GPT-2 style decoder with a key/value cache for incremental generation (in the style of HF GPT2Attention with the sdpa backend)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Config:
    vocab_size = 64
    n_positions = 32
    n_embd = 32
    n_layer = 2
    n_head = 4
    resid_pdrop = 0.1
    embd_pdrop = 0.1
    attn_pdrop = 0.1
    layer_norm_epsilon = 1e-5


class GPT2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)
        self.attn_pdrop = config.attn_pdrop
        self.resid_dropout = nn.Dropout(config.resid_pdrop)

    def _split_heads(self, t):
        b, s, _ = t.shape
        return t.view(b, s, self.num_heads, self.head_dim).transpose(1, 2)

    def forward(self, hidden_states, layer_past=None, use_cache=False):
        query, key, value = self.c_attn(hidden_states).split(self.num_heads * self.head_dim, dim=2)
        query, key, value = self._split_heads(query), self._split_heads(key), self._split_heads(value)
        if layer_past is not None:
            past_key, past_value = layer_past
            key = torch.cat((past_key, key), dim=-2)
            value = torch.cat((past_value, value), dim=-2)
        present = (key, value) if use_cache else None
        attn_output = F.scaled_dot_product_attention(  # BUG-SITE
            query, key, value,
            dropout_p=self.attn_pdrop if self.training else 0.0,
            is_causal=True,
        )
        b, h, s, d = attn_output.shape
        attn_output = attn_output.transpose(1, 2).reshape(b, s, h * d)
        return self.resid_dropout(self.c_proj(attn_output)), present


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.ln_1 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.attn = GPT2Attention(config)
        self.ln_2 = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.mlp = nn.Sequential(nn.Linear(config.n_embd, 4 * config.n_embd), nn.GELU(approximate="tanh"),
                                 nn.Linear(4 * config.n_embd, config.n_embd), nn.Dropout(config.resid_pdrop))

    def forward(self, x, layer_past=None, use_cache=False):
        a, present = self.attn(self.ln_1(x), layer_past=layer_past, use_cache=use_cache)
        x = x + a
        x = x + self.mlp(self.ln_2(x))
        return x, present


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.drop = nn.Dropout(config.embd_pdrop)
        self.h = nn.ModuleList([GPT2Block(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd, eps=config.layer_norm_epsilon)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)
        self.lm_head.weight = self.wte.weight

    def forward(self, input_ids, past_key_values=None, use_cache=False):
        past_length = 0 if past_key_values is None else past_key_values[0][0].size(-2)
        position_ids = torch.arange(past_length, past_length + input_ids.size(1)).unsqueeze(0)
        x = self.drop(self.wte(input_ids) + self.wpe(position_ids))
        presents = []
        for i, block in enumerate(self.h):
            x, present = block(x, layer_past=None if past_key_values is None else past_key_values[i], use_cache=use_cache)
            presents.append(present)
        logits = self.lm_head(self.ln_f(x))
        return logits, (presents if use_cache else None)

    @torch.no_grad()
    def generate(self, input_ids, max_new_tokens):
        logits, past = self(input_ids, use_cache=True)
        all_logits = [logits[:, -1]]
        tokens = input_ids
        for _ in range(max_new_tokens):
            nxt = all_logits[-1].argmax(-1, keepdim=True)
            tokens = torch.cat([tokens, nxt], dim=1)
            logits, past = self(nxt, past_key_values=past, use_cache=True)
            all_logits.append(logits[:, -1])
        return tokens, torch.stack(all_logits, 1)


def run():
    torch.manual_seed(0)
    config = GPT2Config()
    model = GPT2LMHeadModel(config)
    opt = torch.optim.AdamW(model.parameters(), lr=6e-4)
    ids = torch.randint(0, config.vocab_size, (3, 12))
    model.train()
    logits, _ = model(ids[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, config.vocab_size), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    tokens, step_logits = model.generate(ids[:, :5], 6)
    return [loss.detach(), *grads, tokens, step_logits]
