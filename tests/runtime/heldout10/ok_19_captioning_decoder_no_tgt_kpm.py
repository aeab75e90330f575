# EXPECT: ok the caption decoder passes a float causal tgt_mask with tgt_is_causal=True and a bool memory_key_padding_mask but no tgt_key_padding_mask: captions are right-padded, so with causal masking real tokens never see padding and padded positions are ignored by the loss.
"""Image captioning with a CNN grid encoder and nn.TransformerDecoder, in the style of saahiluppal/catr / the 'Show, Attend and Tell' transformer variants."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD, BOS, EOS = 0, 1, 2


class CaptionModel(nn.Module):
    def __init__(self, vocab=40, d=32, h=4, layers=2, p=0.1):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(3, 16, 3, 2, 1), nn.ReLU(), nn.Conv2d(16, d, 3, 2, 1), nn.ReLU())
        self.grid_pos = nn.Parameter(torch.randn(1, 16, d) * 0.02)
        self.emb = nn.Embedding(vocab, d, padding_idx=PAD)
        self.pos = nn.Embedding(20, d)
        layer = nn.TransformerDecoderLayer(d, h, 64, p, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(d, vocab)

    def encode(self, images, valid):
        f = self.cnn(images)
        grid_valid = F.max_pool2d(valid[:, None].float(), 4).bool()[:, 0]
        memory = f.flatten(2).transpose(1, 2) + self.grid_pos
        return memory, ~grid_valid.flatten(1)

    def decode(self, caps, memory, memory_pad):
        T = caps.size(1)
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(T)
        y = self.emb(caps) + self.pos(torch.arange(T))[None]
        h = self.decoder(y, memory, tgt_mask=tgt_mask, memory_key_padding_mask=memory_pad, tgt_is_causal=True)
        return self.out(h)

    def forward(self, images, valid, caps):
        memory, memory_pad = self.encode(images, valid)
        return self.decode(caps, memory, memory_pad)


def images_batch(sizes, canvas=16):
    imgs = torch.zeros(len(sizes), 3, canvas, canvas)
    valid = torch.zeros(len(sizes), canvas, canvas, dtype=torch.bool)
    for i, (hh, ww) in enumerate(sizes):
        imgs[i, :, :hh, :ww] = torch.randn(3, hh, ww)
        valid[i, :hh, :ww] = True
    return imgs, valid


def run():
    torch.manual_seed(0)
    model = CaptionModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    imgs, valid = images_batch([(16, 16), (8, 12), (12, 8)])
    caps = torch.tensor([[1, 5, 6, 7, 8, 2], [1, 9, 2, 0, 0, 0], [1, 10, 11, 2, 0, 0]])
    model.train()
    logits = model(imgs, valid, caps[:, :-1])
    loss = F.cross_entropy(logits.reshape(-1, 40), caps[:, 1:].reshape(-1), ignore_index=PAD)
    opt.zero_grad()
    loss.backward()
    grads = [p.grad.detach().clone() if p.grad is not None else torch.zeros_like(p) for p in model.parameters()]
    opt.step()
    model.eval()
    with torch.no_grad():
        imgs2, valid2 = images_batch([(12, 12), (16, 8)])
        memory, memory_pad = model.encode(imgs2, valid2)
        seq = torch.full((2, 1), BOS)
        for _ in range(4):
            logits = model.decode(seq, memory, memory_pad)
            seq = torch.cat([seq, logits[:, -1].argmax(-1, keepdim=True)], 1)
    return [loss.detach(), *grads, seq, logits[:, -1]]
