import torch
import torch.nn as nn


def wait_k_mask(tgt_len, src_len, k, device=None):
    """Simultaneous translation: target step t reads the first t + k source tokens (True = read)."""
    mask = torch.zeros(tgt_len, src_len, dtype=torch.bool, device=device)
    for t in range(tgt_len):
        visible = min(src_len, t + k)
        mask[t, :visible] = True
    return mask


class WaitKDecoder(nn.Module):
    def __init__(self, vocab, d=256, heads=4, k=3):
        super().__init__()
        self.k = k
        self.emb = nn.Embedding(vocab, d)
        self.dec = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, batch_first=True), 3)
        self.out = nn.Linear(d, vocab)

    def forward(self, tgt, memory, src_pad):
        T, S = tgt.size(1), memory.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=tgt.device)
        read = ~wait_k_mask(T, S, self.k, tgt.device)
        h = self.dec(self.emb(tgt), memory, tgt_mask=causal, memory_mask=read,
                     memory_key_padding_mask=src_pad, tgt_is_causal=True)
        return self.out(h)
