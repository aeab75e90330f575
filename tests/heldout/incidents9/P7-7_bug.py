import torch
import torch.nn.functional as F
from torch import nn


class FastLlamaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads, self.head_dim = heads, hidden // heads
        self.q_proj = nn.Linear(hidden, hidden, bias=False)
        self.k_proj = nn.Linear(hidden, hidden, bias=False)
        self.v_proj = nn.Linear(hidden, hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, hidden_states, causal_mask=None, past_key_value=None):
        bsz, q_len, _ = hidden_states.size()
        split = lambda t: t.view(bsz, q_len, self.heads, self.head_dim).transpose(1, 2)
        Q, K, V = split(self.q_proj(hidden_states)), split(self.k_proj(hidden_states)), split(self.v_proj(hidden_states))
        if past_key_value is not None:
            K, V = torch.cat([past_key_value[0], K], 2), torch.cat([past_key_value[1], V], 2)
        if causal_mask is None:
            A = F.scaled_dot_product_attention(Q, K, V, is_causal=q_len > 1)
        else:
            A = F.scaled_dot_product_attention(Q, K, V, attn_mask=causal_mask)
        return self.o_proj(A.transpose(1, 2).reshape(bsz, q_len, -1)), (K, V)


def prepare_prefill_mask(attention_mask, q_len):
    """Prefill with the fast path: causality is handled by the kernel."""
    return None  # BUG


@torch.no_grad()
def generate(attn, embed, head, input_ids, attention_mask, max_new_tokens=3):
    causal_mask = prepare_prefill_mask(attention_mask, input_ids.size(1))
    h, cache = attn(embed(input_ids), causal_mask=causal_mask)
    first_logits = head(h[:, -1])
    out = [first_logits.argmax(-1)]
    for _ in range(max_new_tokens - 1):
        attention_mask = torch.cat([attention_mask, torch.ones_like(attention_mask[:, :1])], 1)
        step_mask = attention_mask.bool()[:, None, None, :]
        h, cache = attn(embed(out[-1][:, None]), causal_mask=step_mask, past_key_value=cache)
        out.append(head(h[:, -1]).argmax(-1))
    return torch.stack(out, 1), first_logits


if __name__ == "__main__":
    torch.manual_seed(0)
    embed, attn, head = nn.Embedding(50, 32), FastLlamaAttention().eval(), nn.Linear(32, 50)
    short, long = [7, 3, 9], [4, 8, 15, 16, 23]
    ids = torch.tensor([[0, 0] + short, long])  # tokenizer.padding_side = "left"
    mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    batched, batched_logits = generate(attn, embed, head, ids, mask)
    single, single_logits = generate(attn, embed, head, torch.tensor([short]), torch.ones(1, 3, dtype=torch.long))
    print("short prompt, batched:", batched[0].tolist(), " alone:", single[0].tolist())
    print("first-step logit diff:", (batched_logits[0] - single_logits[0]).abs().max().item())
