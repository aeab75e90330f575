"""Streaming ASR encoder with chunked self-attention, configured from a YAML-style dict (ESPnet/WeNet flavour)."""
import torch
import torch.nn as nn

CONFIG = {
    "frontend": {"n_mels": 40, "subsample": 4},
    "encoder": {"output_size": 64, "attention_heads": 4, "linear_units": 128,
                "num_blocks": 2, "dropout_rate": 0.1, "chunk_size": 4},
    "ctc": {"vocab_size": 100},
}


def chunk_attention_mask(size, chunk_size, device=None):
    idx = torch.arange(size, device=device)
    chunk_end = (idx // chunk_size + 1) * chunk_size
    return idx[None, :] >= chunk_end[:, None]  # True = key lies in a future chunk


class Conv2dSubsampling(nn.Module):
    def __init__(self, idim, odim):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, odim, 3, 2), nn.ReLU(), nn.Conv2d(odim, odim, 3, 2), nn.ReLU())
        self.out = nn.Linear(odim * (((idim - 1) // 2 - 1) // 2), odim)

    def forward(self, x, lengths):
        x = self.conv(x.unsqueeze(1))
        b, c, t, f = x.shape
        return self.out(x.transpose(1, 2).reshape(b, t, c * f)), ((lengths - 1) // 2 - 1) // 2


class EncoderBlock(nn.Module):
    def __init__(self, d, heads, units, p):
        super().__init__()
        self.norm_mha = nn.LayerNorm(d)
        self.self_attn = nn.MultiheadAttention(d, heads, dropout=p, batch_first=True)
        self.norm_ff = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, units), nn.SiLU(), nn.Dropout(p), nn.Linear(units, d))

    def forward(self, x, chunk_mask, pad_mask):
        h = self.norm_mha(x)
        h = self.self_attn(h, h, h, chunk_mask)[0]  # expect: ML501
        x = x + h
        x = x + 0.5 * self.ff(self.norm_ff(x))
        return x.masked_fill(pad_mask.unsqueeze(-1), 0.0)


class StreamingEncoder(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        enc = cfg["encoder"]
        self.chunk_size = enc["chunk_size"]
        self.embed = Conv2dSubsampling(cfg["frontend"]["n_mels"], enc["output_size"])
        self.blocks = nn.ModuleList(
            EncoderBlock(enc["output_size"], enc["attention_heads"], enc["linear_units"], enc["dropout_rate"])
            for _ in range(enc["num_blocks"]))
        self.ctc = nn.Linear(enc["output_size"], cfg["ctc"]["vocab_size"])

    def forward(self, feats, feat_lens):
        x, lens = self.embed(feats, feat_lens)
        pad_mask = torch.arange(x.size(1), device=x.device)[None, :] >= lens[:, None]
        chunk_mask = chunk_attention_mask(x.size(1), self.chunk_size, x.device)
        for blk in self.blocks:
            x = blk(x, chunk_mask, pad_mask)
        return self.ctc(x).log_softmax(-1), lens


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StreamingEncoder(CONFIG)
    feats = torch.randn(3, 83, 40)
    feat_lens = torch.tensor([83, 70, 55])
    logp, lens = model(feats, feat_lens)
    targets = torch.randint(1, 100, (3, 6))
    loss = nn.functional.ctc_loss(logp.transpose(0, 1), targets, lens, torch.full((3,), 6))
    print(logp.shape, loss.item())
