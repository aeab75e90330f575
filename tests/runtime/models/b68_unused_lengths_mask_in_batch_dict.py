"""Buggy: a speech encoder's collate function returns a dict with a frame mask built from the
utterance lengths (True at padded frames); the step function reads the features out of the batch
and calls the encoder without the mask: real frames attend to the zero-padded tail."""
import torch
import torch.nn as nn

KIND = "buggy"


def collate(utterances):
    lengths = torch.tensor([u.shape[0] for u in utterances])
    frames = nn.utils.rnn.pad_sequence(utterances, batch_first=True)
    return {"frames": frames, "pad": torch.arange(frames.shape[1])[None, :] >= lengths[:, None]}


class SpeechEncoder(nn.Module):
    def __init__(self, feats=8, dim=16):
        super().__init__()
        self.proj = nn.Linear(feats, dim)
        layer = nn.TransformerEncoderLayer(dim, 2, 32, dropout=0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, 2, enable_nested_tensor=False)
        self.out = nn.Linear(dim, 5)

    def forward(self, frames):
        return self.out(self.encoder(self.proj(frames)))  # expect: ML505


def step(model, batch):
    logits = model(batch["frames"])
    return logits.masked_fill(batch["pad"][..., None], 0.0).pow(2).mean()


def run():
    torch.manual_seed(0)
    batch = collate([torch.randn(6, 8), torch.randn(4, 8), torch.randn(6, 8)])
    model = SpeechEncoder()
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss = step(model, batch)
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        return [loss.detach(), step(model, batch)]
