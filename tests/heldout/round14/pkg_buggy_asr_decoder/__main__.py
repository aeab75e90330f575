import torch

from . import AEDConfig, AttentionEncoderDecoder


def main() -> None:
    torch.manual_seed(0)
    cfg = AEDConfig()
    model = AttentionEncoderDecoder(cfg)
    feat_lens = torch.tensor([90, 63, 48])
    feats = torch.randn(3, 90, cfg.n_mels) * (torch.arange(90)[None, :, None] < feat_lens[:, None, None])
    tokens = torch.tensor([[5, 9, 14, 3, 22], [7, 7, 31, 0, 0], [12, 4, 0, 0, 0]])
    loss = model.loss(feats, feat_lens, tokens)
    loss.backward()
    print("loss", round(loss.item(), 4))
    print("hyps", model.eval().greedy_decode(feats, feat_lens, max_len=6).tolist())


if __name__ == "__main__":
    main()
