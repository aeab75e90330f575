"""Tiny decoder-only LM on top of nn.MultiheadAttention (sequence-first layout)."""
import torch
import torch.nn as nn


class DecoderBlock(nn.Module):
    def __init__(self, d_model, n_heads, dropout=0.1):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.mha = nn.MultiheadAttention(d_model, n_heads, dropout=dropout)
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(nn.Linear(d_model, 4 * d_model), nn.ReLU(), nn.Linear(4 * d_model, d_model))

    def forward(self, x, attn_mask):
        h = self.ln1(x)
        h, _ = self.mha(h, h, h, attn_mask=attn_mask)
        x = x + h
        return x + self.mlp(self.ln2(x))


class TinyLM(nn.Module):
    def __init__(self, vocab, d_model=32, n_heads=4, n_layers=2, max_len=64):
        super().__init__()
        self.tok = nn.Embedding(vocab, d_model)
        self.pos = nn.Parameter(torch.zeros(max_len, 1, d_model))
        self.blocks = nn.ModuleList([DecoderBlock(d_model, n_heads) for _ in range(n_layers)])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, src):
        seq_len = src.size(0)
        attn_mask = torch.tril(torch.ones(seq_len, seq_len, device=src.device))  # BUG
        x = self.tok(src) + self.pos[:seq_len]
        for blk in self.blocks:
            x = blk(x, attn_mask)
        return self.head(x)


def train_step(model, opt, batch):
    inp, tgt = batch[:-1], batch[1:]
    logits = model(inp)
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), tgt.reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TinyLM(vocab=40)
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    data = torch.randint(0, 40, (9, 4))  # (seq, batch)
    print(train_step(model, opt, data))
