# EXPECT: bug
"""GPT-2-like LM with SDPA. When a padding mask is present the code switches from the
is_causal fast path to an explicit mask (SDPA rejects attn_mask together with is_causal)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Attention(nn.Module):
    def __init__(self, embed_dim, num_heads, attn_pdrop):
        super().__init__()
        self.num_heads = num_heads
        self.c_attn = nn.Linear(embed_dim, 3 * embed_dim)
        self.c_proj = nn.Linear(embed_dim, embed_dim)
        self.attn_pdrop = attn_pdrop

    def _split_heads(self, t):
        b, s, e = t.shape
        return t.view(b, s, self.num_heads, e // self.num_heads).permute(0, 2, 1, 3)

    def forward(self, hidden_states, attention_mask=None):
        q, k, v = map(self._split_heads, self.c_attn(hidden_states).chunk(3, dim=-1))
        p = self.attn_pdrop if self.training else 0.0
        if attention_mask is not None:
            attn_mask = attention_mask[:, None, None, :].to(torch.bool)
            a = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=p)  # BUG-SITE
        else:
            a = F.scaled_dot_product_attention(q, k, v, dropout_p=p, is_causal=True)
        b, h, s, d = a.shape
        return self.c_proj(a.permute(0, 2, 1, 3).reshape(b, s, h * d))


class GPT2Block(nn.Module):
    def __init__(self, e, h, p):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(e), nn.LayerNorm(e)
        self.attn = GPT2Attention(e, h, p)
        self.mlp = nn.Sequential(nn.Linear(e, 4 * e), nn.GELU(approximate="tanh"), nn.Linear(4 * e, e), nn.Dropout(p))

    def forward(self, x, attention_mask=None):
        x = x + self.attn(self.ln_1(x), attention_mask)
        return x + self.mlp(self.ln_2(x))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, vocab=64, n_positions=32, e=32, h=4, n_layer=2, p=0.1):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(vocab, e), nn.Embedding(n_positions, e)
        self.drop = nn.Dropout(p)
        self.h = nn.ModuleList([GPT2Block(e, h, p) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(e)
        self.lm_head = nn.Linear(e, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None):
        pos = torch.arange(input_ids.size(1), device=input_ids.device)
        x = self.drop(self.wte(input_ids) + self.wpe(pos))
        for block in self.h:
            x = block(x, attention_mask)
        logits = self.lm_head(self.ln_f(x))
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), labels[:, 1:].reshape(-1))
        return loss, logits


def run():
    torch.manual_seed(0)
    model = GPT2LMHeadModel()
    opt = torch.optim.AdamW(model.parameters(), lr=5e-4)
    input_ids = torch.randint(1, 64, (4, 12))
    attention_mask = torch.ones_like(input_ids)
    attention_mask[1, 8:] = 0
    attention_mask[3, 5:] = 0
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    model.train()
    loss, _ = model(input_ids, attention_mask, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        _, logits = model(input_ids, attention_mask)
    return [loss.detach(), logits]
