import torch
import torch.nn as nn


class Translator(nn.Module):
    def __init__(self, src_vocab=100, tgt_vocab=120, d_model=64, nhead=4, layers=2, pad_idx=1):
        super().__init__()
        self.src_emb = nn.Embedding(src_vocab, d_model, padding_idx=pad_idx)
        self.tgt_emb = nn.Embedding(tgt_vocab, d_model, padding_idx=pad_idx)
        self.pos = nn.Embedding(128, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, 128, 0.1, batch_first=True)
        self.generator = nn.Linear(d_model, tgt_vocab)

    def forward(self, src, tgt, tgt_mask, src_padding_mask, tgt_padding_mask):
        s = self.src_emb(src) + self.pos.weight[: src.size(1)]
        t = self.tgt_emb(tgt) + self.pos.weight[: tgt.size(1)]
        out = self.transformer(s, t, None, tgt_mask, None, src_padding_mask, tgt_padding_mask, src_padding_mask)
        return self.generator(out)


def make_masks(src, tgt, pad_idx):
    t = tgt.size(1)
    tgt_mask = torch.triu(torch.ones(t, t, dtype=torch.bool, device=tgt.device), diagonal=1)
    return tgt_mask, src.eq(pad_idx), tgt.eq(pad_idx)


def train_step(model, optimizer, src, tgt, pad_idx=1):
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    logits = model(src, tgt_in, *make_masks(src, tgt_in, pad_idx))
    loss = nn.functional.cross_entropy(logits.flatten(0, 1), tgt_out.flatten(), ignore_index=pad_idx)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


if __name__ == "__main__":
    m = Translator()
    src = torch.randint(4, 100, (4, 16))
    src[:2, 10:] = 1
    tgt = torch.randint(4, 120, (4, 12))
    print(train_step(m, torch.optim.Adam(m.parameters()), src, tgt))
