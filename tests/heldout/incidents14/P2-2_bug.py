import torch
import torch.nn as nn


class SequenceClassifier(nn.Module):
    def __init__(self, d_model=8, nhead=2, num_classes=3):
        super().__init__()
        self.encoder_layer = nn.TransformerEncoderLayer(
            d_model=d_model, nhead=nhead, dim_feedforward=16, dropout=0.0, batch_first=True
        )
        self.head = nn.Linear(d_model, num_classes)

    @staticmethod
    def build_padding_mask(lengths, max_len):
        mask = torch.ones(len(lengths), max_len)
        for i, n in enumerate(lengths):
            mask[i, n:] = 0.0
        return mask  # BUG

    def forward(self, src, lengths):
        src_key_padding_mask = self.build_padding_mask(lengths, src.size(1))
        hidden = self.encoder_layer(src, src_key_padding_mask=src_key_padding_mask)
        return hidden


def pad_sensitivity(model, src, lengths):
    other = src.clone()
    other[:, -1] = torch.randn_like(other[:, -1])
    return (model(src, lengths) - model(other, lengths))[:, :-1].abs().max().item()


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequenceClassifier()
    src = torch.randn(2, 5, 8)
    lengths = [4, 4]
    model.train()
    sens_train = pad_sensitivity(model, src, lengths)
    out_train = model(src, lengths).detach()
    model.eval()
    with torch.no_grad():
        out_eval = model(src, lengths)
    gap = (out_train[:, :-1] - out_eval[:, :-1]).abs().max().item()
    print(f"train pad sensitivity={sens_train:.4f} train-vs-eval gap={gap:.4f}")
