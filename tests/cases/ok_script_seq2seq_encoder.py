"""A sequence-to-sequence training script: the encoder side of nn.Transformer is bidirectional,
the decoder gets a causal mask, and greedy decoding reuses the encoder's memory."""
import torch
import torch.nn as nn
import torch.nn.functional as F

vocab, dim = 100, 32
embed = nn.Embedding(vocab, dim)
model = nn.Transformer(dim, 4, 2, 2, 64)
generator = nn.Linear(dim, vocab)

for step in range(2):
    src = torch.randint(0, vocab, (10, 4))
    tgt = torch.randint(0, vocab, (9, 4))
    tgt_input, tgt_output = tgt[:-1], tgt[1:]
    mask = model.generate_square_subsequent_mask(tgt_input.size(0))
    out = model(embed(src), embed(tgt_input), tgt_mask=mask)
    loss = F.cross_entropy(generator(out).reshape(-1, vocab), tgt_output.reshape(-1))

memory = model.encoder(embed(torch.randint(0, vocab, (10, 1))))
