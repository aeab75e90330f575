"""Sequence-to-sequence model on nn.Transformer(batch_first=True) with a greedy decoder,
of the kind reported in pytorch/pytorch issue 115472 (training ran, inference failed)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

BOS, EOS = 1, 2


class Seq2SeqTransformer(nn.Module):
    def __init__(self, vocab=30, d_model=32, nhead=4, layers=2, max_len=64):
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab, d_model)
        self.pos = nn.Embedding(max_len, d_model)
        self.transformer = nn.Transformer(d_model, nhead, layers, layers, dim_feedforward=64, dropout=0.1, batch_first=True)
        self.generator = nn.Linear(d_model, vocab)

    def embed_tokens(self, x):
        return self.embed(x) * math.sqrt(self.d_model) + self.pos(torch.arange(x.shape[1]))

    def forward(self, src, tgt):
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt.shape[1])
        out = self.transformer(self.embed_tokens(src), self.embed_tokens(tgt), tgt_mask=tgt_mask)
        return self.generator(out)


def train_step(model, src, tgt, optimizer):
    model.train()
    tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
    logits = model(src, tgt_in)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt_out.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()


@torch.no_grad()
def greedy_decode(model, src, max_len=6):
    model.eval()
    ys = torch.full((src.shape[0], 1), BOS, dtype=torch.long)
    for _ in range(max_len):
        next_word = model(src, ys)[:, -1].argmax(-1, keepdim=True)
        ys = torch.cat([ys, next_word], dim=1)
    return ys


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Seq2SeqTransformer()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    batch_size, tgt_len = 8, 9
    src = torch.randint(3, 30, (batch_size, 10))
    tgt = torch.cat([torch.full((batch_size, 1), BOS), torch.randint(3, 30, (batch_size, tgt_len - 1))], dim=1)
    print("train loss", train_step(model, src, tgt, opt))
    print(greedy_decode(model, src[:1]))
