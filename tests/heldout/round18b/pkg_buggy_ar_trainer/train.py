import torch
import torch.nn.functional as F

from .model import TrackModel
from .sample import sample_track
from .tokens import to_tokens


def synthetic_tracks(n, steps, generator):
    start = torch.tensor([55.0, 11.5]) + 0.3 * torch.randn(n, 1, 2, generator=generator)
    heading = 0.02 * torch.randn(n, 1, 2, generator=generator)
    return start + heading * torch.arange(steps).view(1, -1, 1)


def main():
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    seqs = to_tokens(synthetic_tracks(8, 20, g))
    model = TrackModel()
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(5):
        inputs, targets = seqs[:, :-1], seqs[:, 1:]
        logits = model(inputs)  # BUG: trained on next-cell targets but called with the default causal=False
        loss = F.cross_entropy(logits.reshape(-1, logits.size(-1)), targets.reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    print("loss", round(loss.item(), 5))
    track, conf = sample_track(model, seqs[:2, :6], 4)
    print("sample", track.tolist(), "conf", round(conf.mean().item(), 5))


if __name__ == "__main__":
    main()
