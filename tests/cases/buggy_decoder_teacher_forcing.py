"""Summarizer: encoder over the article, decoder trained with teacher forcing."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Summarizer(nn.Module):
    def __init__(self, vocab=1000, d_model=64, nhead=4, layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d_model, nhead, 128, 0.0, batch_first=True), layers, enable_nested_tensor=False
        )
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 128, 0.0, batch_first=True), layers)
        self.proj = nn.Linear(d_model, vocab)

    def forward(self, article, summary_in):
        art_pad = article == self.pad_id
        sum_pad = summary_in == self.pad_id
        memory = self.encoder(self.embed(article), src_key_padding_mask=art_pad)
        out = self.decoder(self.embed(summary_in), memory, tgt_key_padding_mask=sum_pad, memory_key_padding_mask=art_pad)  # expect: ML401
        return self.proj(out)


def step(model, article, summary, optimizer):
    decoder_input = summary[:, :-1]
    labels = summary[:, 1:]
    logits = model(article, decoder_input)
    loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), labels.reshape(-1), ignore_index=model.pad_id)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss
