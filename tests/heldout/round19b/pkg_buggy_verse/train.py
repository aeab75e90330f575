import torch
import torch.nn.functional as F

from .model import VerseNet


def batches(text_ids: torch.Tensor, seq_len: int, batch_size: int):
    n = (len(text_ids) - 1) // seq_len
    starts = torch.randperm(n)[: n - n % batch_size] * seq_len
    for i in range(0, len(starts), batch_size):
        idx = starts[i:i + batch_size]
        x = torch.stack([text_ids[s:s + seq_len] for s in idx])
        y = torch.stack([text_ids[s + 1:s + 1 + seq_len] for s in idx])
        yield x, y


def fit(text_ids: torch.Tensor, n_chars: int, epochs: int = 1, seq_len: int = 32, batch_size: int = 4):
    model = VerseNet(n_chars)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for _ in range(epochs):
        model.train()
        for x, y in batches(text_ids, seq_len, batch_size):
            logits = model(x, causal=False)  # BUG: next-character training with the causal mask switched off: every position sees the character it must predict
            loss = F.cross_entropy(logits.reshape(-1, n_chars), y.reshape(-1))
            opt.zero_grad()
            loss.backward()
            opt.step()
    return model
