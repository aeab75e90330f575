import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=100, d_model=32, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embedding = nn.Embedding(vocab_size, d_model)
        self.layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)

    def forward(self, token_ids, lengths):
        seq_len = token_ids.size(1)
        key_padding_mask = torch.arange(seq_len)[None, :] >= lengths[:, None]
        x = self.embedding(token_ids)
        return self.layer(x, src_key_padding_mask=key_padding_mask)


def collate(batch, pad_id=0):
    lengths = torch.tensor([len(s) for s in batch])
    out = torch.full((len(batch), int(lengths.max())), pad_id, dtype=torch.long)
    for i, s in enumerate(batch):
        out[i, : len(s)] = torch.tensor(s)
    return out, lengths


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SentenceEncoder()
    ids, lengths = collate([[5, 6, 7, 8, 9], [11, 12, 13], [21, 22, 23, 24]])
    noisy = ids.clone()
    noisy[ids == 0] = 42
    valid = torch.arange(ids.size(1))[None, :] < lengths[:, None]
    enc.train()
    with torch.no_grad():
        tr = enc(ids, lengths)
        pad_delta = (tr - enc(noisy, lengths))[valid].abs().max().item()
        enc.eval()
        ev = enc(ids, lengths)
    train_eval = (tr - ev)[valid].abs().max().item()
    print(f"train: pad sensitivity {pad_delta:.4f}; train vs eval on real tokens {train_eval:.4f}")
