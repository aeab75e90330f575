"""HF-style tokenizer output fed to a torch encoder; padding mask flipped with 1 - mask."""
import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=32000, d_model=384, nhead=6):
        super().__init__()
        self.emb = nn.Embedding(vocab, d_model)
        self.enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, batch_first=True), 4)

    def forward(self, input_ids, attention_mask):
        # attention_mask: LongTensor (N, S), 1 = real token (from the tokenizer)
        x = self.emb(input_ids)
        pad_mask = 1 - attention_mask
        h = self.enc(x, src_key_padding_mask=pad_mask)  # expect: ML203
        m = attention_mask.unsqueeze(-1).to(h.dtype)
        return (h * m).sum(1) / m.sum(1)
