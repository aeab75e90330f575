"""CRNN text-line model with two heads: CTC character recognition and script
identification (Latin / Cyrillic / Arabic ...).  A BiLSTM runs over packed
column features, a self-attention layer refines them with a key padding mask
(True = padded column), and the script head uses masked mean pooling."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


class CRNN(nn.Module):
    def __init__(self, height=32, dim=64, charset=70, scripts=4):
        super().__init__()
        self.cnn = nn.Sequential(
            # column-local (height-only) kernels: each output column depends on one input column
            nn.Conv2d(1, 16, (3, 1), padding=(1, 0)), nn.ReLU(), nn.MaxPool2d((2, 1)),
            nn.Conv2d(16, 32, (3, 1), padding=(1, 0)), nn.ReLU(), nn.MaxPool2d((2, 1)),
        )
        self.proj = nn.Linear(32 * height // 4, dim)
        self.rnn = nn.LSTM(dim, dim // 2, bidirectional=True, batch_first=True)
        self.attn = nn.MultiheadAttention(dim, 4, batch_first=True)
        self.ln = nn.LayerNorm(dim)
        self.ctc = nn.Linear(dim, charset + 1)
        self.script = nn.Linear(dim, scripts)

    def forward(self, img, widths):
        col_valid = torch.arange(img.size(-1), device=img.device)[None] < widths[:, None]
        img = img.masked_fill(~col_valid[:, None, None, :], 0.0)  # same as the conv's zero padding
        f = self.cnn(img)  # (B, 32, H/4, W)
        B, C, H, W = f.shape
        x = self.proj(f.permute(0, 3, 1, 2).reshape(B, W, C * H))
        packed = pack_padded_sequence(x, widths.cpu(), batch_first=True, enforce_sorted=False)
        x, _ = pad_packed_sequence(self.rnn(packed)[0], batch_first=True, total_length=W)
        valid = torch.arange(W, device=img.device)[None] < widths[:, None]
        a, _ = self.attn(x, x, x, key_padding_mask=~valid, need_weights=False)
        x = self.ln(x + a)
        w = valid.unsqueeze(-1).to(x.dtype)
        pooled = (x * w).sum(1) / w.sum(1)
        return self.ctc(x).log_softmax(-1), self.script(pooled)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CRNN().eval()
    img = torch.rand(2, 1, 32, 40)
    widths = torch.tensor([40, 23])
    img[1, :, :, 23:] = 1.0
    with torch.no_grad():
        ctc, script = model(img, widths)
        img2 = img.clone()
        img2[1, :, :, 23:] = torch.rand(1, 32, 17)
        ctc2, script2 = model(img2, widths)
        ctc_solo, script_solo = model(img[1:, :, :, :23], widths[1:])
    assert torch.allclose(script, script2, atol=1e-5)
    assert torch.allclose(ctc[1, :23], ctc2[1, :23], atol=1e-5)
    assert torch.allclose(ctc[1, :23], ctc_solo[0], atol=1e-5)
    assert torch.allclose(script[1], script_solo[0], atol=1e-5)
    assert not torch.isnan(ctc).any()
    print("OK: padded columns never reach the attention or the pooled script logits")
