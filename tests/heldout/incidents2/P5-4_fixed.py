import torch
import torch.nn as nn


class SmilesTranslator(nn.Module):
    def __init__(self, vocab_size: int = 64, d_model: int = 256, nhead: int = 8, num_layers: int = 4, pad_idx: int = 0):
        super().__init__()
        self.pad_idx = pad_idx
        self.src_embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.tgt_embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.positional = nn.Parameter(torch.randn(1, 256, d_model) * 0.02)
        self.transformer = nn.Transformer(
            d_model=d_model, nhead=nhead,
            num_encoder_layers=num_layers, num_decoder_layers=num_layers,
            dim_feedforward=1024, dropout=0.1, batch_first=True,
        )
        self.fc_out = nn.Linear(d_model, vocab_size)

    def forward(self, src: torch.Tensor, tgt: torch.Tensor) -> torch.Tensor:
        src_emb = self.src_embedding(src) + self.positional[:, : src.size(1)]
        tgt_emb = self.tgt_embedding(tgt) + self.positional[:, : tgt.size(1)]
        tgt_mask = self.transformer.generate_square_subsequent_mask(tgt.size(1)).to(src.device)
        src_pad = src == self.pad_idx
        tgt_pad = tgt == self.pad_idx
        out = self.transformer(
            src_emb, tgt_emb, tgt_mask=tgt_mask,
            src_key_padding_mask=src_pad,
            tgt_key_padding_mask=tgt_pad,
            memory_key_padding_mask=src_pad,
        )
        return self.fc_out(out)


def collate(batch, pad_idx=0):
    max_src = max(len(s) for s, _ in batch)
    max_tgt = max(len(t) for _, t in batch)
    src = torch.full((len(batch), max_src), pad_idx, dtype=torch.long)
    tgt = torch.full((len(batch), max_tgt), pad_idx, dtype=torch.long)
    for i, (s, t) in enumerate(batch):
        src[i, : len(s)] = torch.tensor(s)
        tgt[i, : len(t)] = torch.tensor(t)
    return src, tgt


if __name__ == "__main__":
    model = SmilesTranslator()
    src, tgt = collate([([5, 9, 12, 3], [1, 7, 7, 2]), ([5, 6, 4, 4, 8, 11, 3], [1, 9, 2])])
    logits = model(src, tgt[:, :-1])
    loss = nn.functional.cross_entropy(logits.reshape(-1, 64), tgt[:, 1:].reshape(-1), ignore_index=0)
    print(loss.item())
