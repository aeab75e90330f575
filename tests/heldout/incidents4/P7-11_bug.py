import torch
from torch import nn


class LlamaConfig:
    def __init__(self, vocab_size=300, hidden_size=64, num_attention_heads=4, num_hidden_layers=2, is_causal=False):
        self.vocab_size = vocab_size
        self.hidden_size = hidden_size
        self.num_attention_heads = num_attention_heads
        self.num_hidden_layers = num_hidden_layers
        self.is_causal = is_causal


def _expand_mask(mask, dtype, tgt_len=None):
    bsz, src_len = mask.size()
    tgt_len = tgt_len if tgt_len is not None else src_len
    expanded_mask = mask[:, None, :, None].expand(bsz, 1, src_len, tgt_len).to(dtype)  # BUG
    inverted_mask = 1.0 - expanded_mask
    return inverted_mask.masked_fill(inverted_mask.to(torch.bool), torch.finfo(torch.bfloat16).min)  # BUG


class LlamaAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // self.num_heads
        self.q_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.k_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.v_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.size()
        shape = (bsz, q_len, self.num_heads, self.head_dim)
        q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
        k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
        v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
        attn_weights = torch.matmul(q, k.transpose(2, 3)) / self.head_dim ** 0.5
        if attention_mask is not None:
            attn_weights = attn_weights + attention_mask  # BUG
        attn_weights = nn.functional.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj(torch.matmul(attn_weights, v).transpose(1, 2).reshape(bsz, q_len, -1))


class LlamaEncoderModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(config) for _ in range(config.num_hidden_layers)])
        self.norm = nn.LayerNorm(config.hidden_size)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        mask = None
        if attention_mask is not None:
            mask = _expand_mask(attention_mask, h.dtype, tgt_len=input_ids.shape[1])
        for layer in self.layers:
            h = h + layer(h, attention_mask=mask)
        return self.norm(h)


def embed_sentences(model, batch):
    h = model(batch["input_ids"], batch["attention_mask"])
    m = batch["attention_mask"].unsqueeze(-1).to(h.dtype)
    return (h * m).sum(1) / m.sum(1)
