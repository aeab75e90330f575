# EXPECT: bug
"""Image captioning: a small CNN turns the image into a grid of patch features (memory),
a TransformerDecoder generates the caption with teacher forcing."""
import torch
import torch.nn as nn

PAD, BOS = 0, 1


class PatchEncoder(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(3, 16, 3, stride=2, padding=1), nn.ReLU(),
                                 nn.Conv2d(16, d, 3, stride=2, padding=1), nn.ReLU())

    def forward(self, images):
        f = self.net(images)                      # (B, d, 4, 4)
        return f.flatten(2).transpose(1, 2)       # (B, 16, d)


class CaptionDecoder(nn.Module):
    def __init__(self, vocab, d=32, heads=4, layers=2, dropout=0.1, max_len=20):
        super().__init__()
        self.word_emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos_emb = nn.Embedding(max_len, d)
        layer = nn.TransformerDecoderLayer(d_model=d, nhead=heads, dim_feedforward=4 * d, dropout=dropout,
                                           batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=layers, norm=nn.LayerNorm(d))
        self.fc = nn.Linear(d, vocab)

    def forward(self, captions, memory):
        T = captions.size(1)
        x = self.word_emb(captions) + self.pos_emb(torch.arange(T, device=captions.device))
        pad_mask = captions.eq(PAD)
        x = self.decoder(tgt=x, memory=memory, tgt_key_padding_mask=pad_mask)  # BUG-SITE
        return self.fc(x)


class Captioner(nn.Module):
    def __init__(self, vocab=60, d=32):
        super().__init__()
        self.encoder = PatchEncoder(d)
        self.decoder = CaptionDecoder(vocab, d)

    def forward(self, images, captions):
        return self.decoder(captions, self.encoder(images))


def run():
    torch.manual_seed(0)
    model = Captioner()
    opt = torch.optim.Adam(model.parameters(), lr=3e-4)
    images = torch.randn(3, 3, 16, 16)
    caps = torch.randint(2, 60, (3, 9))
    caps[:, 0] = BOS
    caps[1, 6:] = PAD
    caps[2, 4:] = PAD
    inp, tgt = caps[:, :-1], caps[:, 1:]
    model.train()
    logits = model(images, inp)
    loss = nn.functional.cross_entropy(logits.reshape(-1, 60), tgt.reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        ev = model(images, inp)
    return [loss.detach(), ev]
