import torch
import torch.nn.functional as F
from torch import nn


class GPT2Config:
    n_embd = 64
    n_head = 4
    n_layer = 2
    vocab_size = 100
    add_cross_attention = True


def _prepare_4d_attention_mask_for_sdpa(mask, dtype, tgt_len):
    bsz, src_len = mask.shape
    if torch.all(mask == 1):
        return None
    expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
    return (1.0 - expanded).masked_fill((1.0 - expanded).bool(), torch.finfo(dtype).min)


class GPT2Attention(nn.Module):
    def __init__(self, config, is_cross_attention=False):
        super().__init__()
        self.num_heads, self.head_dim = config.n_head, config.n_embd // config.n_head
        self.is_cross_attention = is_cross_attention
        self.q_attn = nn.Linear(config.n_embd, config.n_embd)
        self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, encoder_hidden_states=None, attention_mask=None):
        kv_src = encoder_hidden_states if self.is_cross_attention else hidden_states
        b, n, _ = hidden_states.shape
        q = self.q_attn(hidden_states).view(b, n, self.num_heads, self.head_dim).transpose(1, 2)
        k, v = (t.view(b, -1, self.num_heads, self.head_dim).transpose(1, 2) for t in self.c_attn(kv_src).chunk(2, -1))
        out = F.scaled_dot_product_attention(
            q, k, v, attn_mask=attention_mask, is_causal=attention_mask is None and not self.is_cross_attention
        )
        return self.c_proj(out.transpose(1, 2).reshape(b, n, -1))


class GPT2Block(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.attn = GPT2Attention(config)
        self.crossattention = GPT2Attention(config, is_cross_attention=True)

    def forward(self, x, attention_mask=None, encoder_hidden_states=None, encoder_attention_mask=None):
        x = x + self.attn(x, attention_mask=attention_mask)
        return x + self.crossattention(x, encoder_hidden_states, attention_mask=encoder_attention_mask)


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.h = nn.ModuleList(GPT2Block(config) for _ in range(config.n_layer))

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        hidden_states = self.wte(input_ids)
        if self.config.add_cross_attention and encoder_hidden_states is not None:
            if encoder_attention_mask is not None:
                encoder_attention_mask = _prepare_4d_attention_mask_for_sdpa(
                    encoder_attention_mask, hidden_states.dtype, tgt_len=input_ids.shape[-1]
                )
        for block in self.h:
            hidden_states = block(hidden_states, None, encoder_hidden_states, encoder_attention_mask)
        return hidden_states


if __name__ == "__main__":
    model = GPT2Model(GPT2Config())
    input_ids = torch.randint(0, 100, (2, 5))
    enc = torch.randn(2, 9, 64)
    enc_mask = torch.ones(2, 9, dtype=torch.long)
    enc_mask[1, 6:] = 0
    print(model(input_ids, enc, enc_mask).shape)
