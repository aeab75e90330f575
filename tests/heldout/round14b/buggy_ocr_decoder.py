"""Text-recognition head: CNN features of a text-line image -> autoregressive character decoder."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class LineFeatureExtractor(nn.Module):
    def __init__(self, d_model):
        super().__init__()
        self.cnn = nn.Sequential(
            nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, d_model, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d((1, None)),
        )

    def forward(self, images):
        feats = self.cnn(images).squeeze(2)   # (B, d_model, W')
        return feats.permute(0, 2, 1)         # (B, W', d_model)


class CharDecoderLayer(nn.Module):
    def __init__(self, d_model, nhead, dropout=0.1):
        super().__init__()
        self.self_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.cross_attn = nn.MultiheadAttention(d_model, nhead, dropout=dropout, batch_first=True)
        self.ffn = nn.Sequential(nn.Linear(d_model, 2 * d_model), nn.ReLU(), nn.Linear(2 * d_model, d_model))
        self.norms = nn.ModuleList(nn.LayerNorm(d_model) for _ in range(3))

    def forward(self, tgt, memory, causal):
        h = self.norms[0](tgt)
        tgt = tgt + self.self_attn(h, h, h, attn_mask=causal)[0]  # expect: ML404
        h = self.norms[1](tgt)
        tgt = tgt + self.cross_attn(h, memory, memory)[0]
        return tgt + self.ffn(self.norms[2](tgt))


class OCRModel(nn.Module):
    def __init__(self, charset, d_model=64, nhead=4, num_layers=2, max_chars=40):
        super().__init__()
        self.charset = charset
        self.bos, self.eos = len(charset), len(charset) + 1
        self.encoder = LineFeatureExtractor(d_model)
        self.char_embed = nn.Embedding(len(charset) + 2, d_model)
        self.pos_embed = nn.Parameter(torch.zeros(1, max_chars, d_model))
        self.layers = nn.ModuleList(CharDecoderLayer(d_model, nhead) for _ in range(num_layers))
        self.classifier = nn.Linear(d_model, len(charset) + 2)

    @staticmethod
    def square_subsequent_mask(size, device=None):
        mask = torch.empty(size, size, device=device)
        mask.fill_(float("-inf"))
        mask.triu_()
        return mask

    def forward(self, images, prev_chars):
        memory = self.encoder(images)
        T = prev_chars.size(1)
        x = self.char_embed(prev_chars) + self.pos_embed[:, :T]
        causal = self.square_subsequent_mask(T, images.device)
        for layer in self.layers:
            x = layer(x, memory, causal)
        return self.classifier(x)

    @torch.no_grad()
    def read(self, images, max_len=12):
        chars = torch.full((images.size(0), 1), self.bos, dtype=torch.long)
        for _ in range(max_len):
            nxt = self(images, chars)[:, -1].argmax(-1, keepdim=True)
            chars = torch.cat([chars, nxt], dim=1)
        return ["".join(self.charset[c] for c in row[1:].tolist() if c < len(self.charset)) for row in chars]


if __name__ == "__main__":
    torch.manual_seed(0)
    charset = "0123456789abcdefghijklmnopqrstuvwxyz"
    model = OCRModel(charset)
    images = torch.randn(2, 1, 32, 128)
    targets = torch.randint(0, len(charset), (2, 9))
    inp = torch.cat([torch.full((2, 1), model.bos), targets[:, :-1]], dim=1)
    logits = model(images, inp)
    print("loss", F.cross_entropy(logits.transpose(1, 2), targets).item())
    print("greedy:", model.eval().read(images))
