import argparse

import torch
import torch.nn as nn


def seq_len_to_mask(seq_len, max_len=None):
    max_len = int(max_len or seq_len.max())
    broad_cast_seq_len = torch.arange(max_len).expand(seq_len.size(0), -1).to(seq_len)
    return broad_cast_seq_len < seq_len.unsqueeze(1)


class Encoder(nn.Module):
    def __init__(self, vocab, dim, heads):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim, padding_idx=0)
        self.attn = nn.MultiheadAttention(dim, heads)
        self.out = nn.Linear(dim, 2)

    def forward(self, tokens, lengths):
        x = self.embed(tokens).transpose(0, 1)
        mask = seq_len_to_mask(lengths, tokens.size(1))  # BUG
        h, weights = self.attn(x, x, x, key_padding_mask=mask)  # BUG
        h = h.transpose(0, 1)
        valid = seq_len_to_mask(lengths, tokens.size(1)).unsqueeze(-1).float()
        pooled = (h * valid).sum(1) / valid.sum(1)
        return self.out(pooled), weights


def make_batch(batch_size, max_len, vocab):
    lengths = torch.randint(1, max_len + 1, (batch_size,))
    lengths[0] = max_len
    tokens = torch.randint(1, vocab, (batch_size, max_len))
    tokens[torch.arange(max_len)[None, :] >= lengths[:, None]] = 0
    return tokens, lengths


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vocab", type=int, default=100)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()

    torch.manual_seed(0)
    model = Encoder(args.vocab, args.dim, args.heads)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    for step in range(args.steps):
        tokens, lengths = make_batch(args.batch_size, 12, args.vocab)
        labels = (tokens[:, 0] % 2).long()
        logits, weights = model(tokens, lengths)
        loss = nn.functional.cross_entropy(logits, labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 5 == 0:
            print(f"step {step} loss {loss.item():.4f} nan_weights={torch.isnan(weights).any().item()}")


if __name__ == "__main__":
    main()
