import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate_fn(batch):
    seqs = [torch.tensor(ids, dtype=torch.long) for ids in batch]
    lengths = torch.tensor([len(s) for s in seqs])
    padded = pad_sequence(seqs, padding_value=0)
    keep = [torch.zeros(len(s), dtype=torch.bool) for s in seqs]
    src_key_padding_mask = pad_sequence(keep, padding_value=True)  # BUG
    return padded, src_key_padding_mask, lengths


class SentenceEncoder(nn.Module):
    def __init__(self, ntoken=50, d_model=16, nhead=2, nlayers=2):
        super().__init__()
        self.embed = nn.Embedding(ntoken, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)

    def forward(self, src, src_key_padding_mask):
        return self.encoder(self.embed(src), src_key_padding_mask=src_key_padding_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SentenceEncoder()
    src, kpm, lengths = collate_fn([[4, 9, 17]])
    try:
        out = model(src, kpm)
        print(f"batch of 1 encoded: output shape {tuple(out.shape)}, NaN: {torch.isnan(out).any().item()}")
    except (AssertionError, RuntimeError) as e:
        print(f"raised {type(e).__name__}: {e}")
