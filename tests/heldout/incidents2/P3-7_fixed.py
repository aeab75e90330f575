import torch
import torch.nn as nn


class SequenceTagger(nn.Module):
    def __init__(self, ntoken: int, ninp: int = 200, nhead: int = 2, nhid: int = 200, nlayers: int = 2, ntags: int = 17):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        layer = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout=0.2)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers)
        self.decoder = nn.Linear(ninp, ntags)

    def forward(self, src: torch.Tensor, src_key_padding_mask: torch.Tensor) -> torch.Tensor:
        # src: (S, N)
        x = self.encoder(src)
        x = self.transformer_encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(x)


def make_padding_mask(src: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
    mask = torch.zeros(src.size(1), src.size(0), dtype=torch.bool)
    for b, n in enumerate(lengths.tolist()):
        mask[b, n:] = True
    return mask


def train_epoch(model, batches, optimizer, criterion):
    model.train()
    for src, tags, lengths in batches:
        optimizer.zero_grad()
        kpm = make_padding_mask(src, lengths)
        logits = model(src, kpm)
        loss = criterion(logits.view(-1, logits.size(-1)), tags.view(-1))
        loss.backward()
        optimizer.step()


if __name__ == "__main__":
    model = SequenceTagger(ntoken=1000)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    crit = nn.CrossEntropyLoss()
    batches = [
        (torch.randint(0, 1000, (2, 1)), torch.randint(0, 17, (2, 1)), torch.tensor([2])),
        (torch.randint(0, 1000, (7, 4)), torch.randint(0, 17, (7, 4)), torch.tensor([7, 5, 7, 3])),
    ]
    train_epoch(model, batches, opt, crit)
