"""train_lm.py: next-token language model on WikiText-style token stream (script)."""
import argparse
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--bptt", type=int, default=35)
parser.add_argument("--emsize", type=int, default=200)
parser.add_argument("--nhead", type=int, default=2)
parser.add_argument("--epochs", type=int, default=1)
args, _ = parser.parse_known_args()

ntokens = 1000
stream = torch.randint(0, ntokens, (20 * args.bptt + 1,))

embedding = nn.Embedding(ntokens, args.emsize)
encoder = nn.TransformerEncoder(
    nn.TransformerEncoderLayer(args.emsize, args.nhead, 200, 0.2), num_layers=2, enable_nested_tensor=False
)
decoder = nn.Linear(args.emsize, ntokens)
params = [*embedding.parameters(), *encoder.parameters(), *decoder.parameters()]
optimizer = torch.optim.SGD(params, lr=5.0)


def get_batch(source, i, bsz=4):
    seq_len = min(args.bptt, (len(source) - 1 - i) // bsz)
    data = source[i: i + seq_len * bsz].view(bsz, seq_len).t()
    target = source[i + 1: i + 1 + seq_len * bsz].view(bsz, seq_len).t()
    return data, target


for epoch in range(args.epochs):
    encoder.train()
    for i in range(0, len(stream) - 1 - 4 * args.bptt, 4 * args.bptt):
        data, targets = get_batch(stream, i)  # (T, B)
        src = embedding(data) * math.sqrt(args.emsize)
        output = encoder(src)  # expect: ML401
        logits = decoder(output)
        loss = F.cross_entropy(logits.view(-1, ntokens), targets.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 0.5)
        optimizer.step()
    print(f"epoch {epoch} | loss {loss.item():.2f} | ppl {math.exp(loss.item()):.1f}")
