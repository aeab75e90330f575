import torch
import torch.nn as nn


class CausalSelfAttentionBlock(nn.Module):
    def __init__(self, d_model: int, n_heads: int, dropout: float = 0.1):
        super().__init__()
        self.ln_1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, dropout=dropout)
        self.ln_2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x: torch.Tensor, attn_mask: torch.Tensor) -> torch.Tensor:
        h = self.ln_1(x)
        x = x + self.attn(h, h, h, attn_mask=attn_mask, need_weights=False)[0]
        return x + self.mlp(self.ln_2(x))


class CharLM(nn.Module):
    def __init__(self, vocab_size: int = 65, d_model: int = 256, n_heads: int = 8, n_layers: int = 4, block_size: int = 128):
        super().__init__()
        self.tok_emb = nn.Embedding(vocab_size, d_model)
        self.pos_emb = nn.Parameter(torch.zeros(block_size, 1, d_model))
        self.blocks = nn.ModuleList([CausalSelfAttentionBlock(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        # idx: (T, B)
        T = idx.size(0)
        x = self.tok_emb(idx) + self.pos_emb[:T]
        attn_mask = torch.tril(torch.ones(T, T, device=idx.device))  # BUG: float 0/1 keep mask is added to the logits
        for block in self.blocks:
            x = block(x, attn_mask)
        return self.head(x)


if __name__ == "__main__":
    model = CharLM()
    idx = torch.randint(0, 65, (8, 16))
    logits = model(idx)
    loss = nn.functional.cross_entropy(logits[:-1].reshape(-1, 65), idx[1:].reshape(-1))
    print(loss.item())
