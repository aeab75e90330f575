"""Decoder block for packed-row pretraining (several documents concatenated per row)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

EOS_ID = 2


def document_ids(tokens: torch.Tensor, eos_id: int = EOS_ID) -> torch.Tensor:
    """Running document index for each position; a document ends at its EOS."""
    is_eos = (tokens == eos_id).long()
    starts = torch.cat([torch.zeros_like(is_eos[:, :1]), is_eos[:, :-1]], dim=1)
    return starts.cumsum(dim=1)


class PackedCausalAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.0):
        super().__init__()
        assert d_model % n_heads == 0
        self.n_heads = n_heads
        self.head_dim = d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.out = nn.Linear(d_model, d_model, bias=False)
        self.dropout = dropout

    def _split(self, t: torch.Tensor) -> torch.Tensor:
        B, T, _ = t.shape
        return t.view(B, T, self.n_heads, self.head_dim).transpose(1, 2)

    def forward(self, x: torch.Tensor, doc: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        q, k, v = (self._split(t) for t in self.qkv(x).split(C, dim=-1))
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=x.device), diagonal=1)
        same_doc = doc[:, :, None] == doc[:, None, :]
        blocked = future.unsqueeze(0) | ~same_doc
        y = F.scaled_dot_product_attention(
            q, k, v,
            attn_mask=blocked.unsqueeze(1),  # expect: ML102
            dropout_p=self.dropout if self.training else 0.0,
        )
        return self.out(y.transpose(1, 2).reshape(B, T, C))


class SwiGLU(nn.Module):
    def __init__(self, d_model: int, hidden: int):
        super().__init__()
        self.w1 = nn.Linear(d_model, hidden, bias=False)
        self.w2 = nn.Linear(d_model, hidden, bias=False)
        self.w3 = nn.Linear(hidden, d_model, bias=False)

    def forward(self, x):
        return self.w3(F.silu(self.w1(x)) * self.w2(x))


class PackedBlock(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.norm1 = nn.RMSNorm(d_model)
        self.attn = PackedCausalAttention(d_model, n_heads)
        self.norm2 = nn.RMSNorm(d_model)
        self.mlp = SwiGLU(d_model, 4 * d_model)

    def forward(self, x, doc):
        x = x + self.attn(self.norm1(x), doc)
        return x + self.mlp(self.norm2(x))


class PackedLM(nn.Module):
    def __init__(self, vocab_size=256, d_model=64, n_heads=4, n_layers=2, max_len=128):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.blocks = nn.ModuleList(PackedBlock(d_model, n_heads) for _ in range(n_layers))
        self.norm = nn.RMSNorm(d_model)
        self.lm_head = nn.Linear(d_model, vocab_size, bias=False)

    def forward(self, tokens, targets=None):
        doc = document_ids(tokens)
        pos = torch.arange(tokens.size(1), device=tokens.device)
        x = self.tok(tokens) + self.pos(pos)
        for block in self.blocks:
            x = block(x, doc)
        logits = self.lm_head(self.norm(x))
        if targets is None:
            return logits, None
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten(), ignore_index=-100)
        return logits, loss


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PackedLM()
    rows = torch.randint(3, 256, (2, 33))
    rows[0, 10] = EOS_ID
    rows[1, 20] = EOS_ID
    logits, loss = model(rows[:, :-1], rows[:, 1:])
    print("logits", tuple(logits.shape), "loss", round(loss.item(), 3))
