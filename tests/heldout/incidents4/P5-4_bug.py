import math

import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=256):
        super().__init__()
        pos = torch.arange(max_len).unsqueeze(1)
        div = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, d_model)
        pe[:, 0::2] = torch.sin(pos * div)
        pe[:, 1::2] = torch.cos(pos * div)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(1)]


class TransformerCore(nn.Module):
    def __init__(self, d_model, nhead, num_layers):
        super().__init__()
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=4 * d_model, dropout=0.1, batch_first=True,
        )

    def forward(self, src, tgt, **mask_kwargs):
        return self.transformer(src, tgt, **mask_kwargs)


class MoleculeTranslator(nn.Module):
    def __init__(self, vocab_size, d_model=128, nhead=8, num_layers=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=PAD)
        self.pos = PositionalEncoding(d_model)
        self.core = TransformerCore(d_model, nhead, num_layers)
        self.fc_out = nn.Linear(d_model, vocab_size)

    def build_masks(self, src, tgt):
        tgt_len = tgt.size(1)
        tgt_mask = torch.triu(torch.ones(tgt_len, tgt_len, dtype=torch.bool, device=tgt.device), diagonal=1)
        return {"tgt_mask": tgt_mask}  # BUG

    def forward(self, src, tgt):
        masks = self.build_masks(src, tgt)
        src_emb = self.pos(self.embedding(src))
        tgt_emb = self.pos(self.embedding(tgt))
        return self.fc_out(self.core(src_emb, tgt_emb, **masks))  # BUG


def collate(pairs):
    src_len = max(len(s) for s, _ in pairs)
    tgt_len = max(len(t) for _, t in pairs) + 1
    src = torch.full((len(pairs), src_len), PAD, dtype=torch.long)
    tgt = torch.full((len(pairs), tgt_len), PAD, dtype=torch.long)
    for i, (s, t) in enumerate(pairs):
        src[i, : len(s)] = torch.tensor(s)
        tgt[i, : len(t) + 1] = torch.tensor([BOS] + list(t))
    return src, tgt


def train_epoch(model, loader, optimizer, criterion):
    model.train()
    for src, tgt in loader:
        logits = model(src, tgt[:, :-1])
        loss = criterion(logits.reshape(-1, logits.size(-1)), tgt[:, 1:].reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
