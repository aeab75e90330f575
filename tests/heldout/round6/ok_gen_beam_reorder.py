"""Beam search over nn.TransformerDecoder with the source padding mask reordered alongside beams."""
import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, vocab=20, d=32, nhead=4, pad=0):
        super().__init__()
        self.pad = pad
        self.emb = nn.Embedding(vocab, d)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, nhead, 64, 0.0, batch_first=True), 1)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True), 1)
        self.out = nn.Linear(d, vocab)

    def encode(self, src):
        keep = src != self.pad
        return self.encoder(self.emb(src), src_key_padding_mask=~keep), keep

    def step(self, ys, memory, src_keep):
        T = ys.size(1)
        future = torch.triu(torch.ones(T, T, dtype=torch.bool, device=ys.device), diagonal=1)
        h = self.decoder(self.emb(ys), memory, tgt_mask=future, memory_key_padding_mask=~src_keep)
        return self.out(h[:, -1]).log_softmax(-1)


@torch.no_grad()
def beam_search(model, src, beam=2, bos=1, steps=3):
    memory, keep = model.encode(src)
    N = src.size(0)
    beam_idx = torch.arange(N).repeat_interleave(beam)
    memory, keep = memory.index_select(0, beam_idx), keep.index_select(0, beam_idx)
    ys = torch.full((N * beam, 1), bos)
    score = torch.zeros(N, beam); score[:, 1:] = float("-inf")
    for _ in range(steps):
        logp = model.step(ys, memory, keep)
        V = logp.size(-1)
        top, idx = (score.view(-1, 1) + logp).view(N, -1).topk(beam, -1)
        origin = (idx // V + torch.arange(N)[:, None] * beam).view(-1)
        ys = torch.cat([ys.index_select(0, origin), (idx % V).view(-1, 1)], 1)
        memory, keep = memory.index_select(0, origin), keep.index_select(0, origin)
        score = top
    return ys.view(N, beam, -1)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = Model().eval()
    src = torch.tensor([[5, 6, 7, 0, 0], [5, 6, 7, 8, 9]])
    assert torch.equal(beam_search(m, src)[0], beam_search(m, src[:1, :3])[0])
    print("beam ok")
