import torch
import torch.nn as nn


class KeywordSpotter(nn.Module):
    def __init__(self, n_mels=40, d_model=64, nhead=4, layers=2, n_keywords=12):
        super().__init__()
        self.proj = nn.Linear(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.cls = nn.Linear(d_model, n_keywords)

    @staticmethod
    def padding_mask(lengths, max_len):
        mask = torch.zeros(len(lengths), max_len, dtype=torch.bool)
        for i, n in enumerate(lengths.tolist()):
            mask[i, n:] = True
        return mask

    def forward(self, feats, lengths):
        pad = self.padding_mask(lengths, feats.size(1))
        h = self.encoder(self.proj(feats), src_key_padding_mask=pad)
        keep = (~pad).unsqueeze(-1).float()
        return self.cls((h * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    model = KeywordSpotter()
    print(model(torch.randn(3, 50, 40), torch.tensor([50, 31, 12])).shape)
    print(model.eval()(torch.randn(3, 50, 40), torch.tensor([50, 31, 12])).shape)
