from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class GPT2Config:
    vocab_size: int = 40
    n_embd: int = 16
    n_head: int = 2
    n_layer: int = 1
    add_cross_attention: bool = True
    _attn_implementation: str = "sdpa"


def _prepare_4d_attention_mask_for_sdpa(mask, dtype, tgt_len):
    """[bsz, src_len] (1 = attend) -> additive [bsz, 1, tgt_len, src_len]."""
    expanded = mask[:, None, None, :].expand(mask.shape[0], 1, tgt_len, mask.shape[-1]).to(dtype)
    inverted = 1.0 - expanded
    return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)


class GPT2CrossAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.n_head
        self.q_attn = nn.Linear(config.n_embd, config.n_embd)
        self.c_attn = nn.Linear(config.n_embd, 2 * config.n_embd)
        self.c_proj = nn.Linear(config.n_embd, config.n_embd)

    def forward(self, hidden_states, encoder_hidden_states, encoder_attention_mask=None):
        b, t, d = hidden_states.shape
        s = encoder_hidden_states.shape[1]
        q = self.q_attn(hidden_states).view(b, t, self.num_heads, -1).transpose(1, 2)
        k, v = self.c_attn(encoder_hidden_states).view(b, s, 2, self.num_heads, -1).permute(2, 0, 3, 1, 4)
        out = nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=encoder_attention_mask)
        return self.c_proj(out.transpose(1, 2).reshape(b, t, d))


class GPT2Model(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self._attn_implementation = config._attn_implementation
        self.wte = nn.Embedding(config.vocab_size, config.n_embd)
        self.h = nn.ModuleList([GPT2CrossAttention(config) for _ in range(config.n_layer)])

    def forward(self, input_ids, encoder_hidden_states=None, encoder_attention_mask=None):
        inputs_embeds = self.wte(input_ids)
        input_shape = input_ids.shape
        _use_sdpa = self._attn_implementation == "sdpa"

        # If a 2D or 3D attention mask is provided for the cross-attention
        # we need to make broadcastable to [batch_size, num_heads, seq_length, seq_length]
        if self.config.add_cross_attention and encoder_hidden_states is not None:
            encoder_batch_size, encoder_sequence_length, _ = encoder_hidden_states.size()
            if encoder_attention_mask is None:
                encoder_attention_mask = torch.ones((encoder_batch_size, encoder_sequence_length))
            if _use_sdpa:
                encoder_attention_mask = None  # BUG
        else:
            encoder_attention_mask = None

        hidden_states = inputs_embeds
        for block in self.h:
            hidden_states = hidden_states + block(hidden_states, encoder_hidden_states, encoder_attention_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = GPT2Model(GPT2Config()).eval()
    input_ids = torch.tensor([[3, 5, 7]])
    encoder_hidden_states = torch.randn(1, 6, 16)
    encoder_attention_mask = torch.tensor([[1, 1, 1, 1, 0, 0]])
    other = encoder_hidden_states.clone()
    other[:, 4:] = torch.randn(1, 2, 16)
    with torch.no_grad():
        a = model(input_ids, encoder_hidden_states, encoder_attention_mask)
        b = model(input_ids, other, encoder_attention_mask)
    print(f"decoder output change caused by padded encoder states: {(a - b).abs().max().item():.4f}")
