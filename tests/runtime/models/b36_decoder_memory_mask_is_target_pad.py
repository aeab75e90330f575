"""Buggy: separate nn.TransformerEncoder / nn.TransformerDecoder, the decoder called positionally
(tgt, memory, tgt_mask, memory_mask, tgt_key_padding_mask, memory_key_padding_mask) with the
target padding mask in the memory slot: padded source positions stay visible to cross-attention."""
import torch
import torch.nn as nn

KIND = "buggy"
PAD = 0


class Seq2Seq(nn.Module):
    def __init__(self, vocab=30, dim=16, heads=2):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(dim, heads, 32, 0.1, batch_first=True), 2)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(dim, heads, 32, 0.1, batch_first=True), 2)
        self.out = nn.Linear(dim, vocab)

    def forward(self, src, tgt):
        src_pad, tgt_pad = src == PAD, tgt == PAD
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.size(1), dtype=torch.bool)
        memory = self.encoder(self.emb(src), src_key_padding_mask=src_pad)
        h = self.decoder(self.emb(tgt), memory, causal, None, tgt_pad, tgt_pad)  # expect: ML503
        return self.out(h)


def run():
    torch.manual_seed(0)
    src = torch.tensor([[4, 5, 6, 7, 8, 9], [3, 4, 5, 0, 0, 0], [7, 8, 0, 0, 0, 0]])
    tgt = torch.tensor([[1, 4, 6, 2, 3, 5], [1, 5, 7, 9, 0, 0], [1, 3, 3, 3, 3, 0]])
    model = Seq2Seq().train()
    out = model(src, tgt)
    out.sum().backward()
    return (out.detach(), model.emb.weight.grad)
