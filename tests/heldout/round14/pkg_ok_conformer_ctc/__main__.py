import torch
import torch.nn.functional as F

from . import ConformerEncoder, EncoderConf


def main() -> None:
    torch.manual_seed(0)
    conf = EncoderConf()
    model = ConformerEncoder(conf)
    lengths = torch.tensor([160, 97, 128])
    feats = torch.randn(3, 160, conf.n_mels) * (torch.arange(160)[None, :, None] < lengths[:, None, None])
    logp, out_lens = model(feats, lengths)
    targets = torch.randint(1, conf.vocab, (3, 15))
    loss = F.ctc_loss(logp.transpose(0, 1), targets, out_lens, torch.full((3,), 15), zero_infinity=True)
    loss.backward()
    print("frames", out_lens.tolist(), "ctc", round(loss.item(), 4))


if __name__ == "__main__":
    main()
