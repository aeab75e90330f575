"""Image captioner: fixed-size patch grid (no padding anywhere), so cross-attention needs no mask."""
import torch
import torch.nn as nn


class Captioner(nn.Module):
    def __init__(self, vocab=30, d=32, nhead=4, patch=4, img=16):
        super().__init__()
        self.patchify = nn.Conv2d(3, d, patch, patch)
        self.pos = nn.Parameter(torch.zeros(1, (img // patch) ** 2, d))
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 1)
        self.emb = nn.Embedding(vocab, d)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), 1)
        self.out = nn.Linear(d, vocab)

    def encode(self, images):
        return self.encoder(self.patchify(images).flatten(2).transpose(1, 2) + self.pos)

    def forward(self, memory, tokens):
        T = tokens.size(1)
        causal = torch.ones(T, T, dtype=torch.bool, device=tokens.device).triu(1)
        return self.out(self.decoder(self.emb(tokens), memory, tgt_mask=causal))


@torch.no_grad()
def caption(model, images, bos=1, max_len=5):
    memory = model.encode(images)
    ys = torch.full((images.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        ys = torch.cat([ys, model(memory, ys)[:, -1:].argmax(-1)], 1)
    return ys


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Captioner().eval()
    imgs = torch.randn(2, 3, 16, 16)
    mem = m.encode(imgs)
    t = torch.randint(0, 30, (2, 4)); t2 = t.clone(); t2[:, -1] = (t2[:, -1] + 1) % 30
    with torch.no_grad():
        assert torch.allclose(m(mem, t)[:, :-1], m(mem, t2)[:, :-1], atol=1e-5)
    print(caption(m, imgs).shape)
