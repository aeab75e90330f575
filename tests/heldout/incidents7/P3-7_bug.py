"""Seq-first nn.TransformerEncoder sentence model in the style of the torch 1.x tutorials:
token tensors are laid out (S, N) and a padding mask is derived from them (cf. pytorch issue 25129)."""
import math
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_IDX = 1


class PositionalEncoding(nn.Module):
    def __init__(self, d_model, max_len=100):
        super().__init__()
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x):
        return x + self.pe[: x.size(0)]


class TransformerClassifier(nn.Module):
    def __init__(self, ntoken=100, d_model=32, nhead=4, nlayers=2, nclass=3):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, d_model, padding_idx=PAD_IDX)
        self.pos_encoder = PositionalEncoding(d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.1)
        self.transformer_encoder = nn.TransformerEncoder(layer, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(d_model, nclass)

    def forward(self, src):
        # src: [S, N]
        src_key_padding_mask = src == PAD_IDX  # BUG
        x = self.pos_encoder(self.encoder(src))
        output = self.transformer_encoder(x, src_key_padding_mask=src_key_padding_mask)  # BUG
        return self.decoder(output[0])


def make_batch(sentences):
    S = max(len(s) for s in sentences)
    batch = torch.full((S, len(sentences)), PAD_IDX, dtype=torch.long)
    for j, s in enumerate(sentences):
        batch[: len(s), j] = torch.tensor(s)
    return batch


if __name__ == "__main__":
    torch.manual_seed(0)
    model = TransformerClassifier()
    opt = torch.optim.SGD(model.parameters(), lr=0.05)
    train_batch = make_batch([[5, 6, 7, 8, 9, 10], [11, 12, 13], [14, 15, 16, 17], [18, 19], [20, 21, 22, 23, 24], [25, 26, 27, 28, 29, 30]])
    labels = torch.tensor([0, 1, 2, 0, 1, 2])
    model.train()
    loss = F.cross_entropy(model(train_batch), labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("train loss", loss.item())
    model.eval()
    with torch.no_grad():
        print(model(make_batch([[31, 32]])).softmax(-1))
