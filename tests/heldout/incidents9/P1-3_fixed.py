from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


@dataclass
class Llama4TextConfig:
    vocab_size: int = 128
    hidden_size: int = 64
    num_attention_heads: int = 4
    num_hidden_layers: int = 2
    _attn_implementation: str = "sdpa"


class Llama4TextAttention(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.num_heads = config.num_attention_heads
        self.head_dim = config.hidden_size // config.num_attention_heads
        self.qkv_proj = nn.Linear(config.hidden_size, 3 * config.hidden_size, bias=False)
        self.o_proj = nn.Linear(config.hidden_size, config.hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        bsz, q_len, _ = hidden_states.shape
        q, k, v = self.qkv_proj(hidden_states).view(bsz, q_len, 3, self.num_heads, self.head_dim).unbind(2)
        q, k, v = (t.transpose(1, 2) for t in (q, k, v))
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.o_proj(out.transpose(1, 2).reshape(bsz, q_len, -1))


class Llama4TextModel(nn.Module):
    def __init__(self, config):
        super().__init__()
        self.config = config
        self.embed_tokens = nn.Embedding(config.vocab_size, config.hidden_size)
        self.layers = nn.ModuleList(Llama4TextAttention(config) for _ in range(config.num_hidden_layers))

    def _update_causal_mask(self, attention_mask, input_tensor):
        dtype, device = input_tensor.dtype, input_tensor.device
        bsz, seq_len = input_tensor.shape[:2]
        min_dtype = torch.finfo(dtype).min
        causal_mask = torch.full((seq_len, seq_len), fill_value=min_dtype, dtype=dtype, device=device)
        causal_mask = torch.triu(causal_mask, diagonal=1)
        causal_mask = causal_mask[None, None, :, :].expand(bsz, 1, -1, -1).clone()
        if attention_mask is not None:
            padding_mask = causal_mask + attention_mask[:, None, None, :].to(dtype)
            padding_mask = padding_mask == 0
            causal_mask = causal_mask.masked_fill(padding_mask, min_dtype)

        return causal_mask

    def forward(self, input_ids, attention_mask=None):
        hidden_states = self.embed_tokens(input_ids)
        causal_mask = self._update_causal_mask(attention_mask, hidden_states)
        for layer in self.layers:
            hidden_states = hidden_states + layer(hidden_states, attention_mask=causal_mask)
        return hidden_states


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Llama4TextModel(Llama4TextConfig()).eval()
    input_ids = torch.randint(0, 128, (2, 7))
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    with torch.no_grad():
        out = model(input_ids, attention_mask)
        changed = input_ids.clone()
        changed[:, -1] = (changed[:, -1] + 1) % 128
        out2 = model(changed, attention_mask)
    print(out.shape)
    print("prefix drift after editing last token:", (out - out2)[:, :-1].abs().max().item())
