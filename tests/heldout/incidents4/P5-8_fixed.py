import torch
import torch.nn as nn
import torch.nn.functional as F


class LlamaConfig:
    hidden_size = 64
    num_attention_heads = 4
    num_hidden_layers = 2
    vocab_size = 500


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None, **kwargs):
        raise NotImplementedError


def flash_forward(self, hidden_states, attention_mask=None, position_ids=None, **kwargs):
    bsz, q_len, _ = hidden_states.size()
    q = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    k = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    v = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim).transpose(1, 2)
    attn_mask = torch.ones(q_len, q_len, dtype=torch.bool, device=hidden_states.device).tril()[None, None]
    if attention_mask is not None:
        attn_mask = attn_mask & attention_mask[:, None, None, :].bool()
        attn_mask = attn_mask | ~attention_mask[:, None, :, None].bool()
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, dropout_p=0.0)
    return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = flash_forward


class LlamaForCausalLM(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(config) for _ in range(config.num_hidden_layers)])
        self.lm_head = nn.Linear(config.hidden_size, config.vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None, labels=None):
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask=attention_mask)
        logits = self.lm_head(h)
        loss = None
        if labels is not None:
            loss = F.cross_entropy(logits[:, :-1].flatten(0, 1), labels[:, 1:].flatten(), ignore_index=-100)
        return loss, logits


def collate_left_padded(samples, pad_id=0):
    width = max(len(s) for s in samples)
    input_ids = torch.full((len(samples), width), pad_id)
    attention_mask = torch.zeros((len(samples), width), dtype=torch.long)
    for i, s in enumerate(samples):
        input_ids[i, width - len(s):] = torch.tensor(s)
        attention_mask[i, width - len(s):] = 1
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}


replace_llama_attn_with_flash_attn()
