import torch
import torch.nn.functional as F
from torch import nn


def get_rectangular_causal_mask(q_seq_len, k_seq_len, device):
    """True = attend; the last q_seq_len keys line up with the queries (kv-cache aware)."""
    mask = torch.ones((q_seq_len, k_seq_len), dtype=torch.bool, device=device)
    mask[:, -q_seq_len:] = torch.tril(mask[:, -q_seq_len:], diagonal=0)
    return mask


def torch_attn(queries, keys, values, is_causal, attention_mask=None):
    # queries/keys/values: (batch, seq, heads, head_dim) as in the xformers layout
    q, k, v = (t.transpose(1, 2) for t in (queries, keys, values))
    if attention_mask is None:
        out = F.scaled_dot_product_attention(q, k, v, is_causal=is_causal and q.shape[2] == k.shape[2])
    else:
        keep = attention_mask.bool()[:, None, None, :]
        if is_causal:
            keep = keep & get_rectangular_causal_mask(q.shape[2], k.shape[2], q.device)
        keep = keep | ~attention_mask.bool()[:, None, -q.shape[2]:, None]  # padded queries: anything
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=keep)
    return out.transpose(1, 2)


def get_attn_func(attn_name):
    if attn_name == "torch_attn":
        return torch_attn
    raise ValueError(f"Unsupported attn-name: {attn_name}")


class CustomAttn(nn.Module):
    def __init__(self, dim=8, n_heads=2, attn_name="torch_attn"):
        super().__init__()
        self.n_heads, self.head_dim = n_heads, dim // n_heads
        self.in_proj = nn.Linear(dim, 3 * dim, bias=False)
        self.out_proj = nn.Linear(dim, dim, bias=False)
        self.attn_fn = get_attn_func(attn_name)

    def forward(self, x, is_causal=True, attention_mask=None):
        batchsize, q_len, _ = x.shape
        queries, keys, vals = self.in_proj(x).chunk(3, dim=-1)
        queries, keys, vals = (t.view(batchsize, q_len, self.n_heads, self.head_dim) for t in (queries, keys, vals))
        output = self.attn_fn(queries, keys, vals, is_causal=is_causal, attention_mask=attention_mask)
        return self.out_proj(output.reshape(batchsize, q_len, -1))


class Transformer(nn.Module):
    def __init__(self, vocab_size=27, dim=8, n_layers=2):
        super().__init__()
        self.tok_embeddings = nn.Embedding(vocab_size, dim)
        self.layers = nn.ModuleList([CustomAttn(dim) for _ in range(n_layers)])
        self.output = nn.Linear(dim, vocab_size, bias=False)

    def forward(self, input_ids, attention_mask=None):
        x = self.tok_embeddings(input_ids)
        for layer in self.layers:
            x = x + layer(x, is_causal=True, attention_mask=attention_mask)
        return self.output(x)


def run():
    model = Transformer()
    input_ids = torch.tensor([[3, 4, 5, 6, 7], [0, 0, 0, 8, 9]])  # left-padded prompts for generation
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 0, 1, 1]])
    with torch.no_grad():
        return model(input_ids, attention_mask=attention_mask)
