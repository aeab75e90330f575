import torch
from torch.nn.functional import scaled_dot_product_attention


class FastAttention(torch.nn.Module):
    def __init__(self, hidden_size=16, n_heads=2):
        super().__init__()
        self.n_heads = n_heads
        self.head_dim = hidden_size // n_heads
        self.q_proj = torch.nn.Linear(hidden_size, hidden_size, bias = False)
        self.k_proj = torch.nn.Linear(hidden_size, hidden_size, bias = False)
        self.v_proj = torch.nn.Linear(hidden_size, hidden_size, bias = False)
        self.o_proj = torch.nn.Linear(hidden_size, hidden_size, bias = False)
pass


def LlamaAttention_fast_forward_inference(self, hidden_states, past_key_value, attention_mask = None):
    """
    One decoding step: hidden_states is (bsz, 1, hd); past_key_value holds (K, V) of the prompt.
    attention_mask is the 2D (bsz, kv_seq_len) padding mask, 1 = real token.
    """
    bsz, _, hd = hidden_states.size()
    n_heads, head_dim = self.n_heads, self.head_dim
    Qn = self.q_proj(hidden_states).view(bsz, 1, n_heads, head_dim).transpose(1, 2)
    Kn = self.k_proj(hidden_states).view(bsz, 1, n_heads, head_dim).transpose(1, 2)
    Vn = self.v_proj(hidden_states).view(bsz, 1, n_heads, head_dim).transpose(1, 2)
    Kn = torch.cat([past_key_value[0], Kn], dim = 2)
    Vn = torch.cat([past_key_value[1], Vn], dim = 2)

    # Attention
    if bsz == 1 or attention_mask is None:
        A = scaled_dot_product_attention(Qn, Kn, Vn, attn_mask = None, is_causal = False)
    else:
        kv_seq_len = Kn.shape[-2]
        mask = attention_mask[:, None, None, -kv_seq_len:].bool()
        A = scaled_dot_product_attention(Qn, Kn, Vn, attn_mask = None, is_causal = False)  # BUG
    pass
    A = A.transpose(1, 2).reshape(bsz, 1, hd)
    return self.o_proj(A), (Kn, Vn)
pass


def prefill(self, hidden_states, attention_mask):
    bsz, q_len, hd = hidden_states.size()
    K = self.k_proj(hidden_states).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
    V = self.v_proj(hidden_states).view(bsz, q_len, self.n_heads, self.head_dim).transpose(1, 2)
    return (K, V)
pass


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = FastAttention().eval()
    prompts = torch.randn(2, 6, 16)
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    new_token = torch.randn(2, 1, 16)
    with torch.no_grad():
        cache = prefill(attn, prompts, attention_mask)
        step_mask = torch.cat([attention_mask, torch.ones(2, 1, dtype = torch.long)], dim = 1)
        batched, _ = LlamaAttention_fast_forward_inference(attn, new_token, cache, step_mask)
        short_cache = prefill(attn, prompts[:1, 3:], attention_mask[:1, 3:])
        alone, _ = LlamaAttention_fast_forward_inference(attn, new_token[:1], short_cache, None)
    print(f"decode-step output of the left-padded prompt, batched vs alone: max diff {(batched[0] - alone[0]).abs().max().item():.4f}")
