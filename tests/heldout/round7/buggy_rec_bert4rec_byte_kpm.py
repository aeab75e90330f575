"""BERT4Rec-style cloze recommender driven by a plain config dict (as loaded
from a YAML file); padding masks kept as byte tensors from an older codebase."""
import torch
import torch.nn as nn
import torch.nn.functional as F

CONFIG = {
    "num_items": 30,
    "max_len": 10,
    "hidden": 32,
    "heads": 4,
    "layers": 2,
    "dropout": 0.0,
    "pad_token": 0,
    "mask_prob": 0.3,
}


class BERT4Rec(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.mask_token = cfg["num_items"] + 1
        self.token = nn.Embedding(cfg["num_items"] + 2, cfg["hidden"], padding_idx=cfg["pad_token"])
        self.position = nn.Embedding(cfg["max_len"], cfg["hidden"])
        enc_layer = nn.TransformerEncoderLayer(cfg["hidden"], cfg["heads"], cfg["hidden"] * 4,
                                               cfg["dropout"], activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, cfg["layers"])
        self.out = nn.Linear(cfg["hidden"], cfg["num_items"] + 1)

    def forward(self, seq):
        mask = (seq == self.cfg["pad_token"]).byte()
        x = self.token(seq) + self.position(torch.arange(seq.size(1)))
        x = self.encoder(x, src_key_padding_mask=mask)  # expect: ML203
        return self.out(x)


def cloze(seq, cfg, mask_token, gen):
    labels = seq.clone()
    prob = torch.rand(seq.shape, generator=gen)
    masked = (prob < cfg["mask_prob"]) & (seq != cfg["pad_token"])
    labels[~masked] = -100
    return seq.masked_fill(masked, mask_token), labels


if __name__ == "__main__":
    torch.manual_seed(0)
    model = BERT4Rec(CONFIG)
    gen = torch.Generator().manual_seed(1)
    seqs = torch.tensor([[5, 6, 7, 8, 9, 10, 11, 12, 13, 14], [3, 4, 5, 6, 0, 0, 0, 0, 0, 0]])
    inp, labels = cloze(seqs, CONFIG, model.mask_token, gen)
    try:
        logits = model(inp)
        loss = F.cross_entropy(logits.view(-1, logits.size(-1)), labels.view(-1), ignore_index=-100)
        print("loss", loss.item())
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, e)
