import torch
import torch.nn as nn
import torch.nn.functional as F


class GPT2Config:
    def __init__(self, vocab_size=300, n_embd=64, n_head=4, n_layer=2, n_positions=128):
        self.vocab_size = vocab_size
        self.n_embd = n_embd
        self.n_head = n_head
        self.n_layer = n_layer
        self.n_positions = n_positions
        self._attn_implementation = "flash_attention_2"


def _flash_attention_forward(query, key, value, attention_mask, query_length, is_causal, dropout=0.0):
    keep = None
    if attention_mask is not None:
        keep = attention_mask[:, None, None, :].bool()
    if is_causal:
        causal = torch.ones(query_length, key.shape[-2], dtype=torch.bool, device=query.device).tril(key.shape[-2] - query_length)
        keep = causal if keep is None else keep & causal
    if attention_mask is not None:
        keep = keep | ~attention_mask[:, None, -query_length:, None].bool()
    return F.scaled_dot_product_attention(query, key, value, attn_mask=keep, dropout_p=dropout)


class GPT2FlashAttention2(nn.Module):
    def __init__(self, config, is_cross_attention=False):
        super().__init__()
        self.num_heads = config.n_head
        self.head_dim = config.n_embd // config.n_head
        self.is_cross_attention = is_cross_attention
        self.c_attn = nn.Linear(config.n_embd, 3 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, attention_mask=None):
        b, q_len, _ = hidden_states.shape
        q, k, v = self.c_attn(hidden_states).view(b, q_len, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        is_causal = q_len > 1 and not self.is_cross_attention
        out = _flash_attention_forward(q, k, v, attention_mask, q_len, is_causal=is_causal)
        return self.c_proj(out.transpose(1, 2).reshape(b, q_len, -1))


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.wpe = nn.Embedding(config.n_positions, config.n_embd)
        self.h = nn.ModuleList([GPT2FlashAttention2(config) for _ in range(config.n_layer)])
        self.ln_f = nn.LayerNorm(config.n_embd)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is not None:
            position_ids = (attention_mask.long().cumsum(-1) - 1).clamp(min=0)
        else:
            position_ids = torch.arange(input_ids.shape[1], device=input_ids.device)[None]
        hidden_states = self.wte(input_ids) + self.wpe(position_ids)
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, attention_mask=attention_mask)
        return self.ln_f(hidden_states)


class GPT2LMHeadModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.transformer = GPT2Model(config)
        self.lm_head = nn.Linear(config.n_embd, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        return self.lm_head(self.transformer(input_ids, attention_mask=attention_mask))


def left_pad(batch, pad_id=0):
    width = max(len(x) for x in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for i, seq in enumerate(batch):
        ids[i, width - len(seq):] = torch.tensor(seq)
        mask[i, width - len(seq):] = 1
    return {"input_ids": ids, "attention_mask": mask}
