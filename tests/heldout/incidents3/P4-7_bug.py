import torch
import torch.nn as nn
import torch.nn.functional as F


def sliding_window_causal_mask(seq_len: int, window: int, device=None) -> torch.Tensor:
    """True = blocked. Each token sees itself and the previous `window - 1` tokens."""
    i = torch.arange(seq_len, device=device)[:, None]
    j = torch.arange(seq_len, device=device)[None, :]
    return (j > i) | (j <= i - window)


class LocalAttentionLM(nn.Module):
    def __init__(self, vocab_size=256, d_model=128, nhead=4, num_layers=4, window=32, max_len=1024):
        super().__init__()
        self.window = window
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout=0.1, batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers)
        self.head = nn.Linear(d_model, vocab_size)

    def forward(self, input_ids):
        t = input_ids.size(1)
        x = self.tok(input_ids) + self.pos(torch.arange(t, device=input_ids.device))
        mask = sliding_window_causal_mask(t, self.window, input_ids.device)
        h = self.encoder(x, mask=mask, is_causal=True)  # BUG
        return self.head(h)


def training_step(model, batch, optimizer, scheduler=None):
    model.train()
    input_ids = batch["input_ids"]  # packed byte stream, no padding
    logits = model(input_ids[:, :-1])
    loss = F.cross_entropy(logits.flatten(0, 1), input_ids[:, 1:].flatten())
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if scheduler is not None:
        scheduler.step()
    return {"loss": loss.item(), "ppl": loss.exp().item()}
