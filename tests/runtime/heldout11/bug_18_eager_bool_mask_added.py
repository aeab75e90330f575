# EXPECT: bug
"""Qwen-like decoder with an eager attention function; the model builds a boolean
(True = attend) 4-D mask once and hands it to every layer."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = attn_weights + causal_mask  # BUG-SITE
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    return torch.matmul(attn_weights, value).transpose(1, 2).contiguous()


class DecoderAttention(nn.Module):
    def __init__(self, hidden, heads, attention_dropout):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.scaling = self.head_dim ** -0.5
        self.q_proj = nn.Linear(hidden, hidden)
        self.k_proj = nn.Linear(hidden, hidden)
        self.v_proj = nn.Linear(hidden, hidden)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)
        self.attention_dropout = attention_dropout

    def forward(self, hidden_states, attention_mask):
        b, t, _ = hidden_states.shape
        shape = (b, t, self.heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        out = eager_attention_forward(self, q, k, v, attention_mask, self.scaling,
                                      dropout=0.0 if not self.training else self.attention_dropout)
        return self.o_proj(out.reshape(b, t, -1))


def build_causal_mask(attention_mask, seq_len):
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool, device=attention_mask.device).tril()
    return causal[None, None] & attention_mask.bool()[:, None, None, :]


class TinyDecoderLM(nn.Module):
    def __init__(self, vocab=64, hidden=32, heads=4, layers=2, p=0.1):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([DecoderAttention(hidden, heads, p) for _ in range(layers)])
        self.norms = nn.ModuleList([nn.LayerNorm(hidden) for _ in range(layers)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask = build_causal_mask(attention_mask, input_ids.size(1))
        for attn, norm in zip(self.layers, self.norms):
            h = h + attn(norm(h), mask)
        return self.lm_head(h)


def run():
    torch.manual_seed(0)
    model = TinyDecoderLM()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    ids = torch.randint(2, 64, (3, 12))
    am = torch.ones(3, 12, dtype=torch.long)
    am[1, 9:] = 0
    am[2, 6:] = 0
    ids = ids.masked_fill(am == 0, 0)
    labels = ids[:, 1:].masked_fill(am[:, 1:] == 0, -100)
    model.train()
    logits = model(ids, am)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 64), labels.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(ids, am)
    return [loss.detach(), ev]
