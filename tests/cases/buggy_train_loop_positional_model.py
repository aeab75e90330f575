"""A training loop whose `model` parameter is the file's one model, called with its masks by
position in the order of nn.Transformer.forward rather than of the model's own forward."""
import torch
import torch.nn as nn

PAD = 0


class Translator(nn.Module):
    def __init__(self, vocab=1000, d=64):
        super().__init__()
        self.src_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.tgt_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.transformer = nn.Transformer(d, 4, 2, 2, 128, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def forward(self, src, tgt, tgt_mask, src_key_padding_mask, tgt_key_padding_mask):
        h = self.transformer(self.src_emb(src), self.tgt_emb(tgt), tgt_mask=tgt_mask,
                             src_key_padding_mask=src_key_padding_mask,
                             tgt_key_padding_mask=tgt_key_padding_mask,
                             memory_key_padding_mask=src_key_padding_mask)
        return self.out(h)


def train_epoch(model, loader, optimizer):
    for src, tgt in loader:
        tgt_in = tgt[:, :-1]
        causal = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        logits = model(src, tgt_in, causal, tgt_in == PAD, src == PAD)  # expect: ML503
        loss = nn.functional.cross_entropy(logits.flatten(0, 1), tgt[:, 1:].flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
