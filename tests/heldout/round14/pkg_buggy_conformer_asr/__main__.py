import torch

from . import ConformerCTC, ConformerSettings


def main() -> None:
    torch.manual_seed(0)
    s = ConformerSettings()
    model = ConformerCTC(s)
    feat_lens = torch.tensor([120, 96, 71])
    feats = torch.randn(3, 120, s.idim) * (torch.arange(120)[None, :, None] < feat_lens[:, None, None])
    targets = torch.randint(1, s.vocab, (3, 12))
    logp, hlens = model(feats, feat_lens)
    loss = torch.nn.functional.ctc_loss(logp.transpose(0, 1), targets, hlens, torch.full((3,), 12))
    loss.backward()
    print("encoder frames", hlens.tolist(), "ctc loss", round(loss.item(), 4))


if __name__ == "__main__":
    main()
