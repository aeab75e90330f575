import torch
from torch import nn


def sdpa_mask(attention_mask, q_len, sliding_window=None):
    """Bool (B, 1, Q, K) mask, True = may attend: causal (+ optional sliding window) and padding."""
    i = torch.arange(q_len)
    keep = i[:, None] >= i[None, :]
    if sliding_window is not None:
        keep = keep & (i[:, None] - i[None, :] < sliding_window)
    keep = keep[None, None] & attention_mask.bool()[:, None, None, :]
    # rows with nothing to attend to (left padding) attend to everything instead of producing NaN
    return keep | ~keep.any(dim=-1, keepdim=True)


class Gemma4Attention(nn.Module):
    def __init__(self, hidden=32, heads=4, softcap=50.0):
        super().__init__()
        self.heads, self.head_dim, self.softcap = heads, hidden // heads, softcap
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, keep_mask):
        b, n, d = x.shape
        q, k, v = (t.view(b, n, self.heads, -1).transpose(1, 2) for t in self.qkv(x).chunk(3, -1))
        scores = (q @ k.transpose(-1, -2)) * self.head_dim ** -0.5
        scores = torch.tanh(scores / self.softcap) * self.softcap
        additive = torch.zeros_like(scores).masked_fill(~keep_mask, float("-inf"))
        probs = torch.softmax(scores + additive, dim=-1)
        return self.o_proj((probs @ v).transpose(1, 2).reshape(b, n, d))


if __name__ == "__main__":
    torch.manual_seed(0)
    layer = Gemma4Attention().half()
    lm_head = nn.Linear(32, 50, bias=False).half()
    attention_mask = torch.tensor([[0, 0, 0, 1, 1], [1, 1, 1, 1, 1]])  # left-padded batch
    x = torch.randn(2, 5, 32).half()
    with torch.no_grad():
        h = layer(x, sdpa_mask(attention_mask, 5, sliding_window=4))
        h = layer(h, sdpa_mask(attention_mask, 5, sliding_window=4))  # second layer mixes rows
        logits = lm_head(h)
    print(logits.shape, logits.dtype)
    print("nan logits at the last position:", torch.isnan(logits[:, -1]).any().item())
