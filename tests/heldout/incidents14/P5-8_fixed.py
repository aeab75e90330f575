from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=16, num_heads=2):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)


class LlamaModel(nn.Module):
    def __init__(self, vocab_size=40, hidden_size=16, num_layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([LlamaAttention(hidden_size) for _ in range(num_layers)])

    def forward(self, input_ids, attention_mask):
        hidden_states = self.embed_tokens(input_ids)
        attention_mask = self._prepare_decoder_attention_mask(attention_mask, input_ids.shape, hidden_states, 0)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=attention_mask)[0]
        return hidden_states


def flash_attn_func(q, k, v, dropout_p=0.0, softmax_scale=None, causal=False, key_padding_mask=None):
    """CPU stand-in for flash_attn: q, k, v are (bsz, seqlen, nheads, headdim)."""
    q, k, v = (t.transpose(1, 2) for t in (q, k, v))
    mask = torch.ones(q.shape[-2], k.shape[-2], dtype=torch.bool).tril() if causal else None
    if key_padding_mask is not None:
        kpm = key_padding_mask.bool()[:, None, None, :]
        mask = kpm if mask is None else mask & kpm
    return F.scaled_dot_product_attention(q, k, v, attn_mask=mask, dropout_p=dropout_p, scale=softmax_scale).transpose(1, 2)


def forward(
    self,
    hidden_states: torch.Tensor,
    attention_mask: Optional[torch.Tensor] = None,
    position_ids: Optional[torch.Tensor] = None,
    past_key_value: Optional[Tuple[torch.Tensor]] = None,
    output_attentions: bool = False,
    use_cache: bool = False,
) -> Tuple[torch.Tensor, Optional[torch.Tensor], Optional[Tuple[torch.Tensor]]]:
    bsz, q_len, _ = hidden_states.size()
    query_states = self.q_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    key_states = self.k_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)
    value_states = self.v_proj(hidden_states).view(bsz, q_len, self.num_heads, self.head_dim)

    attn_output = flash_attn_func(
        query_states, key_states, value_states, dropout_p=0.0, softmax_scale=None, causal=True,
        key_padding_mask=attention_mask,  # BUG
    )
    attn_output = attn_output.reshape(bsz, q_len, -1)
    return self.o_proj(attn_output), None, None


# Disable the transformation of the attention mask in LlamaModel as the flash attention
# requires the attention mask to be the same as the key_padding_mask
def _prepare_decoder_attention_mask(self, attention_mask, input_shape, inputs_embeds, past_key_values_length):
    # [bsz, seq_len]
    return attention_mask


def replace_llama_attn_with_flash_attn():
    LlamaModel._prepare_decoder_attention_mask = _prepare_decoder_attention_mask
    LlamaAttention.forward = forward


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_llama_attn_with_flash_attn()
    model = LlamaModel().eval()
    input_ids = torch.tensor([[0, 0, 0, 5, 9, 3], [7, 2, 8, 4, 6, 1]])
    attention_mask = (input_ids != 0).long()
    with torch.no_grad():
        batched = model(input_ids, attention_mask)
        alone = model(input_ids[:1, 3:], attention_mask[:1, 3:])
    print(f"left-padded sample hidden states, batched vs alone: max diff {(batched[0, 3:] - alone[0]).abs().max().item():.4f}")
