import argparse
import math

import torch
import torch.nn as nn

parser = argparse.ArgumentParser()
parser.add_argument("--vocab", type=int, default=50)
parser.add_argument("--d-model", type=int, default=64)
parser.add_argument("--epochs", type=int, default=3)
parser.add_argument("--gen-len", type=int, default=10)
args = parser.parse_args()

torch.manual_seed(0)
embedding = nn.Embedding(args.vocab, args.d_model)
model = nn.Transformer(d_model=args.d_model, nhead=4, num_encoder_layers=2, num_decoder_layers=2, dim_feedforward=128)
generator = nn.Linear(args.d_model, args.vocab)
params = list(embedding.parameters()) + list(model.parameters()) + list(generator.parameters())
optimizer = torch.optim.Adam(params, lr=1e-3)


def embed(tokens):
    return embedding(tokens) * math.sqrt(args.d_model)


def sample_pairs(batch_size=32, src_len=12, tgt_len=12):
    src = torch.randint(3, args.vocab, (src_len, batch_size))
    tgt = torch.cat([torch.ones(1, batch_size, dtype=torch.long), src.flip(0)], dim=0)[:tgt_len + 1]
    return src, tgt


for epoch in range(args.epochs):
    model.train()
    src, tgt = sample_pairs()
    tgt_input, tgt_output = tgt[:-1], tgt[1:]
    tgt_mask = model.generate_square_subsequent_mask(tgt_input.size(0))
    out = model(embed(src), embed(tgt_input), tgt_mask=tgt_mask)
    logits = generator(out)
    loss = nn.functional.cross_entropy(logits.reshape(-1, args.vocab), tgt_output.reshape(-1))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    print(f"epoch {epoch} loss {loss.item():.3f}")

model.eval()
with torch.no_grad():
    src, _ = sample_pairs(batch_size=1)
    memory = model.encoder(embed(src))
    ys = torch.ones(1, 1, dtype=torch.long)
    for _ in range(args.gen_len):
        tgt_mask = model.generate_square_subsequent_mask(ys.size(0))
        out = model.decoder(embed(ys), memory, tgt_mask=tgt_mask)
        next_word = generator(out[-1]).argmax(-1)
        ys = torch.cat([ys, next_word.view(1, 1)], dim=0)
    print("generated:", ys.view(-1).tolist())
