import torch
import torch.nn as nn


def sliding_window_causal_mask(seq_len, window):
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    return (j > i) | (i - j >= window)


class LocalAttentionLM(nn.Module):
    """Streaming LM: every token sees only the last `window` tokens (including itself)."""

    def __init__(self, vocab=64, d_model=32, nhead=4, window=3, layers=2):
        super().__init__()
        self.window = window
        self.emb = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList([
            nn.TransformerEncoderLayer(d_model, nhead, 64, dropout=0.0, batch_first=True) for _ in range(layers)
        ])
        self.head = nn.Linear(d_model, vocab)

    def forward(self, ids):
        mask = sliding_window_causal_mask(ids.size(1), self.window)
        x = self.emb(ids)
        for layer in self.layers:
            x = layer(x, src_mask=mask, is_causal=True)  # BUG
        return self.head(x)


def train_step(model, opt, ids):
    logits = model(ids[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, logits.size(-1)), ids[:, 1:].reshape(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LocalAttentionLM()
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    ids = torch.randint(0, 64, (2, 10))
    train_step(model, opt, ids)
    model.train()
    with torch.no_grad():
        base = model(ids)
        far = ids.clone()
        far[:, 0] = (far[:, 0] + 5) % 64
        reach = (model(far)[:, 7:] - base[:, 7:]).abs().max().item()
    print(f"training path: change at positions 7.. when token 0 (outside the 2-layer window) is edited = {reach:.4f}")
