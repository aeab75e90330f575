"""Caption decoder over image-region features (sequence-first tensors throughout)."""
import torch
import torch.nn as nn


class CaptionDecoder(nn.Module):
    def __init__(self, vocab_size=1000, d_model=64, nhead=4, num_layers=2):
        super().__init__()
        self.word_emb = nn.Embedding(vocab_size, d_model)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, dim_feedforward=128, dropout=0.0)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers)
        self.out = nn.Linear(d_model, vocab_size)

    def forward(self, regions, captions):
        # regions: (R, N, E) image-region features; captions: (T, N) token ids
        tgt = self.word_emb(captions)  # (T, N, E)
        T = tgt.size(1)
        causal = torch.triu(torch.full((T, T), float("-inf"), device=tgt.device), diagonal=1)
        h = self.decoder(tgt, regions, tgt_mask=causal)  # expect: ML303
        return self.out(h)


def caption_loss(model, regions, captions, criterion):
    logits = model(regions, captions[:-1])
    return criterion(logits.reshape(-1, logits.size(-1)), captions[1:].reshape(-1))
