"""Intent classifier with a config-driven encoder; layer kwargs are assembled in a dict."""
from dataclasses import dataclass, asdict

import torch
import torch.nn as nn

PAD = 0


@dataclass
class LayerCfg:
    d_model: int = 128
    nhead: int = 4
    dim_feedforward: int = 256
    dropout: float = 0.1
    batch_first: bool = True


def padding_info(input_ids: torch.Tensor) -> dict:
    is_pad = (input_ids == PAD).long()
    lengths = (1 - is_pad).sum(-1)
    return {"is_pad": is_pad, "lengths": lengths}


class IntentClassifier(nn.Module):
    def __init__(self, vocab: int, n_intents: int, cfg: LayerCfg = LayerCfg(), depth: int = 2):
        super().__init__()
        self.emb = nn.Embedding(vocab, cfg.d_model, padding_idx=PAD)
        self.layers = nn.ModuleList(nn.TransformerEncoderLayer(**asdict(cfg)) for _ in range(depth))
        self.cls = nn.Linear(cfg.d_model, n_intents)

    def forward(self, input_ids):
        info = padding_info(input_ids)
        layer_kwargs = {"src_key_padding_mask": info["is_pad"]}  # expect: ML203
        x = self.emb(input_ids)
        for layer in self.layers:
            x = layer(x, **layer_kwargs)
        keep = (1 - info["is_pad"]).unsqueeze(-1).to(x.dtype)
        pooled = (x * keep).sum(1) / info["lengths"].clamp(min=1).unsqueeze(-1)
        return self.cls(pooled)


if __name__ == "__main__":
    m = IntentClassifier(1000, 12)
    ids = torch.randint(1, 1000, (3, 10))
    ids[0, 6:] = PAD
    try:
        print(m(ids).shape)
    except AssertionError as e:
        print("error:", e)
