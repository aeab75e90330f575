"""Teaching implementation of causal self-attention (in the style of the harvard-edge/cs249r_book
exercises): mask helpers live in small functions and attention is computed by hand."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


def create_causal_mask(seq_len):
    """Additive causal mask: 0 on and below the diagonal, -inf above."""
    return torch.triu(torch.full((seq_len, seq_len), float("-inf")), diagonal=1)


def create_keep_mask(seq_len):
    """Keep mask: 1 where attention is allowed, 0 where it is blocked."""
    return torch.tril(torch.ones(seq_len, seq_len))


def apply_mask(scores, mask):
    """Block positions where `mask` is 0 (expects a 1/0 keep mask)."""
    return scores.masked_fill(mask == 0, float("-inf"))


def scaled_dot_product_attention(Q, K, V, mask=None):
    d_k = Q.size(-1)
    scores = Q @ K.transpose(-2, -1) / math.sqrt(d_k)
    if mask is not None:
        scores = apply_mask(scores, mask)
    weights = F.softmax(scores, dim=-1)
    return weights @ V, weights


class CausalSelfAttention(nn.Module):
    def __init__(self, d_model, num_heads):
        super().__init__()
        self.h = num_heads
        self.d_k = d_model // num_heads
        self.W_q = nn.Linear(d_model, d_model)
        self.W_k = nn.Linear(d_model, d_model)
        self.W_v = nn.Linear(d_model, d_model)
        self.W_o = nn.Linear(d_model, d_model)

    def forward(self, x):
        B, T, _ = x.shape
        split = lambda t: t.view(B, T, self.h, self.d_k).transpose(1, 2)
        Q, K, V = split(self.W_q(x)), split(self.W_k(x)), split(self.W_v(x))
        mask = create_causal_mask(T)  # BUG
        out, weights = scaled_dot_product_attention(Q, K, V, mask=mask)
        return self.W_o(out.transpose(1, 2).reshape(B, T, -1)), weights


class TinyLM(nn.Module):
    def __init__(self, vocab=50, d_model=32, num_heads=4, max_len=32):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.attn = CausalSelfAttention(d_model, num_heads)
        self.ln = nn.LayerNorm(d_model)
        self.out = nn.Linear(d_model, vocab)

    def forward(self, idx):
        x = self.tok(idx) + self.pos(torch.arange(idx.shape[1]))
        a, _ = self.attn(self.ln(x))
        return self.out(x + a)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyLM()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    data = torch.randint(0, 50, (4, 9))
    logits = model(data[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 50), data[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
