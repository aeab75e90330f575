import torch
import torch.nn.functional as F
from torch import nn


class GPT2Config:
    n_embd = 64
    n_head = 4
    n_layer = 2
    vocab_size = 100
    n_positions = 64


def flash_attention_forward(module, query, key, value, attention_mask, dropout=0.0):
    q_len = query.shape[2]
    is_causal = module.is_causal and attention_mask is None and q_len > 1  # BUG
    attn_mask = None
    if attention_mask is not None:
        attn_mask = attention_mask[:, None, None, :].bool()
    return F.scaled_dot_product_attention(
        query, key, value, attn_mask=attn_mask, dropout_p=dropout, is_causal=is_causal  # BUG
    )


class GPT2Attention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.is_causal = True
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, attention_mask=None):
        bsz, seq, _ = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).split(hidden_states.shape[-1], dim=2)
        q, k, v = (t.view(bsz, seq, self.num_heads, self.head_dim).transpose(1, 2) for t in (q, k, v))
        out = flash_attention_forward(self, q, k, v, attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(bsz, seq, -1))


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList(GPT2Attention(config) for _ in range(config.n_layer))
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is not None:
            position_ids = (attention_mask.cumsum(-1) - 1).clamp(min=0)
        else:
            position_ids = torch.arange(input_ids.shape[1])[None]
        x = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            x = x + block(x, attention_mask=attention_mask)
        return self.lm_head(x)


if __name__ == "__main__":
    model = GPT2LMHeadModel(GPT2Config()).eval()
    input_ids = torch.randint(0, 100, (2, 7))
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    attention_mask[1, :3] = 0
    with torch.no_grad():
        print(model(input_ids, attention_mask=attention_mask).shape)
