"""Teacher-forced training on (clip, caption) pairs."""
import torch
from torch import nn

from .decoder import PAD, CaptionDecoder, Captioner
from .encoder import ClipEncoder, batch_clips


def make_data(seed=0):
    g = torch.Generator().manual_seed(seed)
    clips = [torch.randn(n, 512, generator=g) for n in (30, 12, 21)]
    captions = torch.tensor([[1, 40, 41, 77, 9, 2], [1, 5, 300, 2, 0, 0], [1, 81, 82, 83, 2, 0]])
    return clips, captions


def train(steps=5):
    model = Captioner(ClipEncoder(), CaptionDecoder())
    clips, captions = make_data()
    frames, frame_pad = batch_clips(clips)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    for _ in range(steps):
        logits = model(frames, frame_pad, captions[:, :-1])
        loss = nn.functional.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=PAD)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model, loss.item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model, final = train()
    frames, pad = batch_clips(make_data(1)[0])
    print(final, model.eval().caption(frames, pad).shape)
