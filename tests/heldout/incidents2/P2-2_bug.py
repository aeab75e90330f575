import torch
import torch.nn as nn


class PaddedSequenceEncoder(nn.Module):
    def __init__(self, vocab_size: int, d_model: int = 128, nhead: int = 4, pad_idx: int = 0):
        super().__init__()
        self.pad_idx = pad_idx
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.layer = nn.TransformerEncoderLayer(
            d_model=d_model, nhead=nhead, dim_feedforward=4 * d_model, dropout=0.1, batch_first=True
        )
        self.classifier = nn.Linear(d_model, 2)

    def make_padding_mask(self, tokens: torch.Tensor) -> torch.Tensor:
        mask = torch.ones(tokens.shape, dtype=torch.float32, device=tokens.device)  # BUG: float keep-mask
        mask[tokens == self.pad_idx] = 0.0  # BUG: 0.0 at pads is "add nothing", not "mask"
        return mask

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        padding_mask = self.make_padding_mask(tokens)
        x = self.embedding(tokens)
        x = self.layer(x, src_key_padding_mask=padding_mask)  # BUG
        keep = (tokens != self.pad_idx).unsqueeze(-1).float()
        pooled = (x * keep).sum(1) / keep.sum(1)
        return self.classifier(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = PaddedSequenceEncoder(vocab_size=100)
    tokens = torch.tensor([[5, 6, 7, 8], [9, 10, 11, 0]])
    model.train()
    y_train = model(tokens)
    model.eval()
    with torch.no_grad():
        y_eval = model(tokens)
    print(y_train, y_eval)
