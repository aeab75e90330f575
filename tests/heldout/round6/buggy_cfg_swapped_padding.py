"""Seq2seq translation model; padding ids and sizes read from a config mapping."""
import torch
import torch.nn as nn


class Seq2Seq(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.src_pad = cfg["data"]["src_pad_id"]
        self.tgt_pad = cfg["data"]["tgt_pad_id"]
        d = cfg["model"]["d_model"]
        self.src_emb = nn.Embedding(cfg["data"]["src_vocab"], d, padding_idx=self.src_pad)
        self.tgt_emb = nn.Embedding(cfg["data"]["tgt_vocab"], d, padding_idx=self.tgt_pad)
        self.transformer = nn.Transformer(
            d_model=d, nhead=cfg["model"]["nhead"],
            num_encoder_layers=2, num_decoder_layers=2,
            dim_feedforward=4 * d, dropout=0.0, batch_first=True,
        )
        self.out = nn.Linear(d, cfg["data"]["tgt_vocab"])

    def forward(self, src, tgt):
        src_kpm = src.eq(self.src_pad)
        tgt_kpm = tgt.eq(self.tgt_pad)
        causal = self.transformer.generate_square_subsequent_mask(
            tgt.size(1), device=tgt.device, dtype=torch.bool
        )
        h = self.transformer(
            self.src_emb(src), self.tgt_emb(tgt),
            tgt_mask=causal,
            src_key_padding_mask=src_kpm,
            tgt_key_padding_mask=tgt_kpm,
            memory_key_padding_mask=tgt_kpm,  # expect: ML503
        )
        return self.out(h)


if __name__ == "__main__":
    cfg = {"data": {"src_pad_id": 0, "tgt_pad_id": 0, "src_vocab": 30, "tgt_vocab": 30},
           "model": {"d_model": 32, "nhead": 4}}
    m = Seq2Seq(cfg)
    src = torch.randint(1, 30, (2, 7))
    tgt = torch.randint(1, 30, (2, 5))
    try:
        m(src, tgt)
        print("ran")
    except RuntimeError as e:
        print(e)
