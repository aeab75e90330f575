"""Greedy decoding for batch_first nn.Transformer: the square mask is sized from the time axis."""
import torch
import torch.nn as nn


class CopyModel(nn.Module):
    def __init__(self, vocab=20, d=32, nhead=4, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.tf = nn.Transformer(d, nhead, 1, 1, 64, 0.0, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def encode(self, src):
        src_pad = src.eq(self.pad)
        return self.tf.encoder(self.emb(src), src_key_padding_mask=src_pad), src_pad

    def decode(self, ys, memory, src_pad):
        tgt_mask = self.tf.generate_square_subsequent_mask(ys.size(1), device=ys.device, dtype=torch.bool)
        return self.out(self.tf.decoder(self.emb(ys), memory, tgt_mask=tgt_mask,
                                        memory_key_padding_mask=src_pad))


@torch.no_grad()
def greedy(model, src, max_len=5, bos=1):
    memory, src_pad = model.encode(src)
    ys = torch.full((src.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        ys = torch.cat([ys, model.decode(ys, memory, src_pad)[:, -1:].argmax(-1)], 1)
    return ys


if __name__ == "__main__":
    torch.manual_seed(0)
    m = CopyModel().eval()
    src = torch.tensor([[3, 4, 5, 0], [6, 7, 8, 9], [3, 3, 3, 3]])
    out = greedy(m, src)
    assert torch.equal(out[0], greedy(m, src[:1, :3])[0])
    print("greedy ok")
