"""One sequential-recommendation backbone serving two recipes from a config
dict: BERT4Rec (bidirectional cloze: no causal mask, on purpose) and a SASRec
variant (causal). Padding masks are bool, True = padding."""
import torch
import torch.nn as nn

RECIPES = {
    "bert4rec": {"num_items": 30, "hidden": 32, "heads": 4, "layers": 2, "causal": False, "max_len": 10},
    "sasrec": {"num_items": 30, "hidden": 32, "heads": 4, "layers": 2, "causal": True, "max_len": 10},
}
PAD = 0


class SeqRecBackbone(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.cfg = cfg
        self.mask_token = cfg["num_items"] + 1
        self.token = nn.Embedding(cfg["num_items"] + 2, cfg["hidden"], padding_idx=PAD)
        self.position = nn.Embedding(cfg["max_len"], cfg["hidden"])
        layer = nn.TransformerEncoderLayer(cfg["hidden"], cfg["heads"], 4 * cfg["hidden"], 0.0,
                                           activation="gelu", batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, cfg["layers"], enable_nested_tensor=False)
        self.out = nn.Linear(cfg["hidden"], cfg["num_items"] + 1)

    def forward(self, seq):
        L = seq.size(1)
        x = self.token(seq) + self.position(torch.arange(L))
        pad = seq == PAD
        mask = None
        if self.cfg["causal"]:
            mask = nn.Transformer.generate_square_subsequent_mask(L, dtype=torch.bool)
        return self.out(self.encoder(x, mask=mask, src_key_padding_mask=pad))


if __name__ == "__main__":
    torch.manual_seed(0)
    seqs = torch.tensor([[5, 6, 7, 8, 9, 10], [3, 4, 5, 0, 0, 0]])
    for name, cfg in RECIPES.items():
        model = SeqRecBackbone(cfg)
        for mode in ("train", "eval"):
            getattr(model, mode)()
            with torch.no_grad():
                a = model(seqs)
                solo = model(seqs[1:, :3])
                later = seqs.clone()
                later[0, -1] = 20
                b = model(later)
            assert torch.allclose(a[1, :3], solo[0], atol=1e-5), "padding changed the real positions"
            assert not torch.isnan(a[:, :3]).any()
            leak = (a[0, :-1] - b[0, :-1]).abs().max().item()
            if cfg["causal"]:
                assert leak < 1e-5
            else:
                assert leak > 1e-4  # cloze model sees both sides by design
            print(name, mode, "ok")
