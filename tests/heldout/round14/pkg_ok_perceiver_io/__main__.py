import torch
import torch.nn.functional as F

from . import PerceiverIOTagger, TaggerConfig, frames_to_batch


def main() -> None:
    torch.manual_seed(0)
    cfg = TaggerConfig()
    model = PerceiverIOTagger(cfg)
    batch = frames_to_batch([torch.randn(n, cfg.n_mels) for n in (100, 64, 81)])
    targets = (torch.rand(3, cfg.n_tags) < 0.3).float()
    logits = model(batch)
    loss = F.binary_cross_entropy_with_logits(logits, targets)
    loss.backward()
    print("tag logits", tuple(logits.shape), "bce", round(loss.item(), 4))


if __name__ == "__main__":
    main()
