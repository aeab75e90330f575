import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class PositionalEncoding(nn.Module):
    def __init__(self, dim, dropout=0.1, max_len=64):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        pe = torch.zeros(max_len, dim)
        position = torch.arange(0, max_len).unsqueeze(1).float()
        div_term = torch.exp(torch.arange(0, dim, 2).float() * (-math.log(10000.0) / dim))
        pe[:, 0::2] = torch.sin(position * div_term)
        pe[:, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe.unsqueeze(0))

    def forward(self, x):
        return self.dropout(x + self.pe[:, : x.size(1)])


class Transformer(nn.Module):
    def __init__(self, vocab_size=50, ninp=32, nhead=2, nhid=64, nlayers=2, dropout=0.0):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, ninp)
        self.transformer = nn.Transformer(d_model=ninp, nhead=nhead, num_encoder_layers=nlayers, num_decoder_layers=nlayers,
                                          dim_feedforward=nhid, dropout=dropout, batch_first=True)
        self.pos_encoder = PositionalEncoding(ninp, dropout)
        self.decoder = nn.Linear(ninp, vocab_size)
        self.ninp = ninp
        self.vocab_size = vocab_size
        self.src_mask = None

    def forward(self, inputs, target):
        _, t = inputs.shape
        if self.src_mask is None or self.src_mask.size(0) != t:
            self.src_mask = nn.Transformer.generate_square_subsequent_mask(t, device=inputs.device)
        src = self.pos_encoder(self.embedding(inputs) * math.sqrt(self.ninp))
        target = self.pos_encoder(self.embedding(target) * math.sqrt(self.ninp))
        output = self.transformer(src, target, src_mask=self.src_mask, tgt_mask=self.src_mask, memory_mask=self.src_mask)
        output = self.decoder(output)
        output = F.log_softmax(output, dim=-1)
        return output.view(-1, self.vocab_size)


class WikiTextLike(Dataset):
    def __init__(self, n_tokens=400, block_size=10, vocab=50):
        g = torch.Generator().manual_seed(0)
        self.data = torch.randint(0, vocab, (n_tokens,), generator=g)
        self.block_size = block_size

    def __len__(self):
        return len(self.data) // self.block_size - 1

    def __getitem__(self, index):
        start = index * self.block_size
        end = start + self.block_size
        return self.data[start:end], self.data[start + 1:end + 1]


class LightningTransformer:
    def __init__(self, vocab_size=50):
        self.model = Transformer(vocab_size=vocab_size)

    def forward(self, inputs, target):
        return self.model(inputs, target)

    def training_step(self, batch, batch_idx):
        inputs, target = batch
        output = self(inputs, target)
        return F.nll_loss(output, target.view(-1))

    __call__ = forward


if __name__ == "__main__":
    torch.manual_seed(0)
    module = LightningTransformer()
    loader = DataLoader(WikiTextLike(), batch_size=4)
    batch = next(iter(loader))
    module.training_step(batch, 0)
    module.model.eval()
    inputs, target = batch
    target2 = target.clone()
    target2[:, -1] = (target2[:, -1] + 1) % 50
    with torch.no_grad():
        a = module(inputs, target).view(4, -1, 50)
        b = module(inputs, target2).view(4, -1, 50)
    print(f"prefix change when last target token changes: {(a[:, :-1] - b[:, :-1]).abs().max().item():.3e}")
