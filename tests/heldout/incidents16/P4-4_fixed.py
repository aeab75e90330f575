# Word-level language model with nn.Transformer - quick experiment script
import math
import torch
import torch.nn as nn

torch.manual_seed(0)

corpus = ("the cat sat on the mat and the dog sat on the log . " * 30).split()
vocab = sorted(set(corpus))
stoi = {w: i for i, w in enumerate(vocab)}
data = torch.tensor([stoi[w] for w in corpus])

ntokens = len(vocab)
emsize = 32
bptt = 10


class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(ntokens, emsize)
        self.transformer = nn.Transformer(d_model=emsize, nhead=4, num_encoder_layers=2,
                                          num_decoder_layers=2, dim_feedforward=64, dropout=0.1)
        self.out = nn.Linear(emsize, ntokens)

    def forward(self, src, tgt):
        # src, tgt: (seq_len, batch)
        s = self.emb(src) * math.sqrt(emsize)
        t = self.emb(tgt) * math.sqrt(emsize)
        causal = nn.Transformer.generate_square_subsequent_mask(src.size(0))
        output = self.transformer(s, t, src_mask=causal, tgt_mask=causal, memory_mask=causal)
        return self.out(output)


def get_batch(i):
    seq_len = min(bptt, len(data) - 1 - i)
    chunk = data[i:i + seq_len + 1]
    return chunk[:-1].unsqueeze(1), chunk[1:].unsqueeze(1)


model = LM()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
criterion = nn.CrossEntropyLoss()

model.train()
for epoch in range(2):
    total = 0.0
    for i in range(0, len(data) - 1, bptt):
        inp, target = get_batch(i)
        output = model(inp, inp)
        loss = criterion(output.view(-1, ntokens), target.reshape(-1))
        optimizer.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 0.5)
        optimizer.step()
        total += loss.item()
    print(f"epoch {epoch} train ppl {math.exp(total / (len(data) // bptt)):.2f}")

model.eval()
