import argparse
import math

import torch
import torch.nn as nn


class Seq2Seq(nn.Module):
    def __init__(self, vocab, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.d_model = d_model
        self.src_emb = nn.Embedding(vocab, d_model)
        self.tgt_emb = nn.Embedding(vocab, d_model)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead, num_encoder_layers=layers, num_decoder_layers=layers,
            dim_feedforward=128, dropout=0.1, batch_first=True,
        )
        self.generator = nn.Linear(d_model, vocab)

    def forward(self, src, tgt, tgt_mask):
        s = self.src_emb(src) * math.sqrt(self.d_model)
        t = self.tgt_emb(tgt) * math.sqrt(self.d_model)
        return self.generator(self.transformer(s, t, tgt_mask=tgt_mask))


def copy_task_batch(batch_size, seq_len, vocab):
    data = torch.randint(2, vocab, (batch_size, seq_len))
    data[:, 0] = 1
    return data, data


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=16)
    parser.add_argument("--vocab", type=int, default=20)
    parser.add_argument("--epochs", type=int, default=3)
    args = parser.parse_args()

    model = Seq2Seq(args.vocab)
    optimizer = torch.optim.Adam(model.parameters(), lr=5e-4)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(args.epochs):
        model.train()
        src, tgt = copy_task_batch(args.batch_size, args.seq_len, args.vocab)
        tgt_in, tgt_out = tgt[:, :-1], tgt[:, 1:]
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tgt_in.size(1))
        logits = model(src, tgt_in, tgt_mask)
        loss = criterion(logits.reshape(-1, args.vocab), tgt_out.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        print(f"epoch {epoch} loss {loss.item():.3f}")

    model.eval()
    with torch.no_grad():
        src, _ = copy_task_batch(args.batch_size, args.seq_len, args.vocab)
        ys = src[:, :1]
        for _ in range(args.seq_len - 1):
            tgt_mask = nn.Transformer.generate_square_subsequent_mask(ys.size(1))
            next_tok = model(src, ys, tgt_mask)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, next_tok], dim=1)
        print("copy accuracy:", (ys == src).float().mean().item())


if __name__ == "__main__":
    main()
