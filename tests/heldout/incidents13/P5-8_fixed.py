from typing import Optional, Tuple

import torch
import torch.nn.functional as F
from torch import nn


class LlamaAttention(nn.Module):
    def __init__(self, hidden_size=32, num_heads=4):
        super().__init__()
        self.num_heads = num_heads
        self.head_dim = hidden_size // num_heads
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)

    def forward(self, hidden_states, attention_mask=None):
        raise NotImplementedError("replaced by the patch below")


def flash_attn_forward(
    self, hidden_states: torch.Tensor, attention_mask: Optional[torch.Tensor] = None
) -> Tuple[torch.Tensor, None]:
    """Drop-in replacement forward used for memory-efficient fine-tuning."""
    bsz, q_len, _ = hidden_states.size()
    shape = (bsz, q_len, self.num_heads, self.head_dim)
    q = self.q_proj(hidden_states).view(shape).transpose(1, 2)
    k = self.k_proj(hidden_states).view(shape).transpose(1, 2)
    v = self.v_proj(hidden_states).view(shape).transpose(1, 2)
    attn_mask = None
    if attention_mask is not None:
        causal = torch.ones(q_len, q_len, dtype=torch.bool, device=q.device).tril()
        attn_mask = causal & attention_mask[:, None, None, :].bool()
    attn_output = F.scaled_dot_product_attention(q, k, v, attn_mask=attn_mask, is_causal=attn_mask is None)  # BUG
    return self.o_proj(attn_output.transpose(1, 2).reshape(bsz, q_len, -1)), None


def replace_llama_attn_with_flash_attn():
    LlamaAttention.forward = flash_attn_forward


class TinyLlama(nn.Module):
    def __init__(self, vocab=64, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([LlamaAttention(hidden) for _ in range(layers)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask=None):
        h = self.embed_tokens(input_ids)
        for layer in self.layers:
            h = h + layer(h, attention_mask)[0]
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    replace_llama_attn_with_flash_attn()
    model = TinyLlama().eval()
    batch = torch.tensor([[2, 2, 2, 9, 8, 7], [3, 4, 5, 6, 7, 8]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = model(batch, attention_mask)
        batch2 = batch.clone()
        batch2[0, :3] = 33
        pad_effect = (model(batch2, attention_mask)[0, 3:] - logits[0, 3:]).abs().max().item()
    print(f"real-token logits change when left-pad token ids change = {pad_effect:.4f}")
