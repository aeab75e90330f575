"""Character-level transliteration model on nn.Transformer (default
seq-first layout). Batches come from a collate that stacks along dim 1."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence

PAD = 0


def collate_fn(pairs):
    src = pad_sequence([s for s, _ in pairs], padding_value=PAD)  # (S, N)
    tgt = pad_sequence([t for _, t in pairs], padding_value=PAD)  # (T, N)
    return src, tgt


class Transliterator(nn.Module):
    def __init__(self, n_src_chars, n_tgt_chars, d_model=256, nhead=4, layers=3):
        super().__init__()
        self.src_emb = nn.Embedding(n_src_chars, d_model, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(n_tgt_chars, d_model, padding_idx=PAD)
        self.src_pos = nn.Parameter(torch.randn(256, 1, d_model) * 0.02)
        self.tgt_pos = nn.Parameter(torch.randn(256, 1, d_model) * 0.02)
        self.model = nn.Transformer(d_model, nhead, layers, layers, dim_feedforward=1024)
        self.out = nn.Linear(d_model, n_tgt_chars)

    def forward(self, src, tgt):
        # src: (S, N), tgt: (T, N)
        S, T = src.size(0), tgt.size(0)
        src_padding = src == PAD
        tgt_padding = tgt == PAD
        causal = self.model.generate_square_subsequent_mask(T, device=src.device)
        h = self.model(
            self.src_emb(src) + self.src_pos[:S],
            self.tgt_emb(tgt) + self.tgt_pos[:T],
            tgt_mask=causal,
            src_key_padding_mask=src_padding,  # expect: ML304
            tgt_key_padding_mask=tgt_padding,  # expect: ML304
            memory_key_padding_mask=src_padding,  # expect: ML304
        )
        return self.out(h)


def train_epoch(model, loader, optimizer, device):
    model.train()
    crit = nn.CrossEntropyLoss(ignore_index=PAD)
    for src, tgt in loader:
        src, tgt = src.to(device), tgt.to(device)
        logits = model(src, tgt[:-1])
        loss = crit(logits.reshape(-1, logits.size(-1)), tgt[1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
