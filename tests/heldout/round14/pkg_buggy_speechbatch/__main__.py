import torch

from . import SpeakerEncoder, SpeakerEncoderConfig, collate_utterances


def main() -> None:
    torch.manual_seed(0)
    cfg = SpeakerEncoderConfig()
    model = SpeakerEncoder(cfg)
    items = [(torch.randn(n, cfg.n_mels), spk) for n, spk in [(50, 0), (37, 1), (22, 2)]]
    batch = collate_utterances(items)
    model.train()
    emb = model(batch)
    print("train embeddings", tuple(emb.shape), "finite:", bool(torch.isfinite(emb).all()))
    model.eval()
    with torch.no_grad():
        emb = model(batch)
    print("eval embeddings", tuple(emb.shape), "finite:", bool(torch.isfinite(emb).all()))


if __name__ == "__main__":
    main()
