import torch
import torch.nn.functional as F
from torch import nn


class Qwen3RMSNorm(nn.Module):
    def __init__(self, hidden_size, eps=1e-6):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(hidden_size))
        self.variance_epsilon = eps

    def forward(self, hidden_states):
        variance = hidden_states.pow(2).mean(-1, keepdim=True)
        return self.weight * hidden_states * torch.rsqrt(variance + self.variance_epsilon)


def sdpa_mask(batch_size, seq_len, attention_mask):
    causal = torch.ones(seq_len, seq_len, dtype=torch.bool).tril()
    return causal[None, None] & attention_mask[:, None, None, :].bool()


def eager_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
    attn_weights = torch.matmul(query, key.transpose(2, 3)) * scaling
    if attention_mask is not None:
        causal_mask = attention_mask[:, :, :, : key.shape[-2]]
        attn_weights = attn_weights.masked_fill(~causal_mask, torch.finfo(attn_weights.dtype).min) if causal_mask.dtype == torch.bool else attn_weights + causal_mask
    attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(query.dtype)
    attn_weights = F.dropout(attn_weights, p=dropout, training=module.training)
    attn_output = torch.matmul(attn_weights, value)
    return attn_output.transpose(1, 2).contiguous(), attn_weights


def sdpa_attention_forward(module, query, key, value, attention_mask, scaling, dropout=0.0, **kwargs):
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask, scale=scaling)
    return out.transpose(1, 2).contiguous(), None


ATTENTION_FUNCTIONS = {"eager": eager_attention_forward, "sdpa": sdpa_attention_forward}


class Qwen3Attention(nn.Module):
    def __init__(self, hidden_size=64, num_heads=4, attn_implementation="eager"):
        super().__init__()
        self.head_dim = hidden_size // num_heads
        self.scaling = self.head_dim ** -0.5
        self.attn_implementation = attn_implementation
        self.q_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.k_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.v_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.o_proj = nn.Linear(hidden_size, hidden_size, bias=False)
        self.q_norm = Qwen3RMSNorm(self.head_dim)
        self.k_norm = Qwen3RMSNorm(self.head_dim)

    def forward(self, hidden_states, attention_mask):
        input_shape = hidden_states.shape[:-1]
        hidden_shape = (*input_shape, -1, self.head_dim)
        q = self.q_norm(self.q_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        k = self.k_norm(self.k_proj(hidden_states).view(hidden_shape)).transpose(1, 2)
        v = self.v_proj(hidden_states).view(hidden_shape).transpose(1, 2)
        attention_interface = ATTENTION_FUNCTIONS[self.attn_implementation]
        out, _ = attention_interface(self, q, k, v, attention_mask, scaling=self.scaling)
        return self.o_proj(out.reshape(*input_shape, -1))


if __name__ == "__main__":
    torch.manual_seed(0)
    attn = Qwen3Attention().eval()
    x = torch.randn(2, 7, 64)
    attention_mask = torch.ones(2, 7, dtype=torch.long)
    mask = sdpa_mask(2, 7, attention_mask)
    with torch.no_grad():
        eager = attn(x, mask)
        attn.attn_implementation = "sdpa"
        sdpa = attn(x, mask)
    print(f"eager vs sdpa max |diff| with a bool mask = {(eager - sdpa).abs().max().item():.4f}")
