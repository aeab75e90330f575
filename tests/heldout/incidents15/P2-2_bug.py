import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab_size=40, d_model=16, nhead=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=0)
        self.layer = nn.TransformerEncoderLayer(d_model=d_model, nhead=nhead, dim_feedforward=32,
                                                dropout=0.0, batch_first=True)

    def make_padding_mask(self, lengths, max_len):
        mask = torch.ones(len(lengths), max_len)  # BUG
        for i, n in enumerate(lengths):
            mask[i, n:] = 0.0  # BUG
        return mask

    def forward(self, tokens, lengths):
        src_key_padding_mask = self.make_padding_mask(lengths, tokens.size(1))
        return self.layer(self.embedding(tokens), src_key_padding_mask=src_key_padding_mask)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SentenceEncoder()
    model.train()
    tokens = torch.tensor([[5, 9, 3, 7, 0], [4, 8, 2, 6, 1]])
    lengths = [4, 5]
    out = model(tokens, lengths)
    tokens2 = tokens.clone()
    tokens2[0, 4] = 33
    out2 = model(tokens2, lengths)
    print(f"real tokens change when the padded slot changes: {(out[0, :4] - out2[0, :4]).abs().max().item():.4f}")
