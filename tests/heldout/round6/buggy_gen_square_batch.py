"""Greedy decoding for a batch_first nn.Transformer (e.g. a toy copy task)."""
import torch
import torch.nn as nn


class CopyModel(nn.Module):
    def __init__(self, vocab=20, d=32, nhead=4):
        super().__init__()
        self.emb = nn.Embedding(vocab, d)
        self.tf = nn.Transformer(d, nhead, 2, 2, 64, 0.0, batch_first=True)
        self.out = nn.Linear(d, vocab)

    def encode(self, src):
        return self.tf.encoder(self.emb(src))

    def decode(self, ys, memory):
        tgt_mask = self.tf.generate_square_subsequent_mask(ys.size(0), device=ys.device)
        h = self.tf.decoder(
            self.emb(ys), memory,
            tgt_mask=tgt_mask,  # expect: ML303
        )
        return self.out(h)


@torch.no_grad()
def greedy_decode(model, src, max_len=6, bos=1):
    memory = model.encode(src)
    ys = torch.full((src.size(0), 1), bos, dtype=torch.long, device=src.device)
    for _ in range(max_len - 1):
        logits = model.decode(ys, memory)
        nxt = logits[:, -1].argmax(-1, keepdim=True)
        ys = torch.cat([ys, nxt], dim=1)
    return ys


if __name__ == "__main__":
    m = CopyModel().eval()
    src = torch.randint(2, 20, (3, 5))
    try:
        print(greedy_decode(m, src))
    except RuntimeError as e:
        print(str(e)[:120])
