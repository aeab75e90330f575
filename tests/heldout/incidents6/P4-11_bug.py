"""GPT-2 style attention dispatching to SDPA; supports left-padded batched generation."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Attention(nn.Module):
    def __init__(self, n_embd=32, n_head=4, attn_pdrop=0.0):
        super().__init__()
        self.n_head = n_head
        self.c_attn = nn.Linear(n_embd, 3 * n_embd)
        self.c_proj = nn.Linear(n_embd, n_embd)
        self.attn_pdrop = attn_pdrop

    def forward(self, hidden_states, attention_mask=None):
        B, T, C = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).split(C, dim=2)
        q, k, v = (t.view(B, T, self.n_head, C // self.n_head).transpose(1, 2) for t in (q, k, v))
        is_causal = attention_mask is None and T > 1  # BUG
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_mask, dropout_p=self.attn_pdrop if self.training else 0.0, is_causal=is_causal
        )
        return self.c_proj(out.transpose(1, 2).reshape(B, T, C))


class GPT2Model(nn.Module):
    def __init__(self, vocab_size=64, n_embd=32, n_layer=2, n_positions=64):
        super().__init__()
        self.wte = nn.Embedding(vocab_size, n_embd)
        self.wpe = nn.Embedding(n_positions, n_embd)
        self.h = nn.ModuleList([GPT2Attention(n_embd) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        position_ids = None
        sdpa_mask = None
        if attention_mask is not None:
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
            sdpa_mask = attention_mask.bool()[:, None, None, :]
        else:
            position_ids = torch.arange(input_ids.size(1))[None]
        h = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            h = h + block(h, sdpa_mask)
        return self.lm_head(self.ln_f(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model().eval()
    ids = torch.randint(0, 64, (2, 7))
    am = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        print(model(ids, am).shape, model(ids).shape)
