"""Float 0/1 key padding masks (P2-2).

A float key_padding_mask is added to the logits on the slow path (training), so a 1.0 on the
padding masks nothing; the eval fast path reads it as bool instead.  Train and eval disagree.
"""
import torch
import torch.nn as nn


class TokenTagger(nn.Module):
    def __init__(self, vocab_size, num_tags, d_model=256, nhead=8, pad_idx=0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.tag = nn.Linear(d_model, num_tags)

    def forward(self, tokens):
        pad = (tokens == self.pad_idx).float()
        h = self.layer(self.embed(tokens), src_key_padding_mask=pad)  # expect: ML201
        return self.tag(h)


class HFStyleEncoder(nn.Module):
    def __init__(self, d_model=256, nhead=8, num_layers=4):
        super().__init__()
        layer = nn.TransformerEncoderLayer(d_model, nhead, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, inputs_embeds, attention_mask):
        return self.encoder(inputs_embeds, src_key_padding_mask=attention_mask.float())  # expect: ML201
