"""DETR-style set decoder: learned object queries attend to each other without a causal mask."""
import torch
import torch.nn as nn


class SetDecoder(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        d = cfg["hidden_dim"]
        self.queries = nn.Embedding(cfg.get("num_queries", 10), d)
        layer = nn.TransformerDecoderLayer(d, cfg["nheads"], cfg.get("dim_feedforward", 64), 0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, cfg.get("dec_layers", 2))
        self.class_head = nn.Linear(d, cfg["num_classes"] + 1)
        self.box_head = nn.Linear(d, 4)

    def forward(self, memory, memory_pad):
        # memory: (N, HW, d) flattened backbone features; memory_pad: True = padded pixel
        q = self.queries.weight.unsqueeze(0).expand(memory.size(0), -1, -1)
        h = self.decoder(q, memory, memory_key_padding_mask=memory_pad)
        return self.class_head(h), self.box_head(h).sigmoid()


if __name__ == "__main__":
    torch.manual_seed(0)
    dec = SetDecoder({"hidden_dim": 32, "nheads": 4, "num_classes": 5}).eval()
    mem = torch.randn(2, 12, 32)
    pad = torch.zeros(2, 12, dtype=torch.bool); pad[1, 8:] = True
    with torch.no_grad():
        cls, _ = dec(mem, pad)
        cls1, _ = dec(mem[1:, :8], pad[1:, :8])
    assert torch.allclose(cls[1], cls1[0], atol=1e-5)
    print("padding ok")
