import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, vocab, d=64, h=4, pad_token_id=0):
        super().__init__()
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_token_id)
        self.layer = nn.TransformerEncoderLayer(d, h, batch_first=True)

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = torch.ones_like(input_ids)
        x = self.emb(input_ids)
        return self.layer(x, src_key_padding_mask=attention_mask == 0)
