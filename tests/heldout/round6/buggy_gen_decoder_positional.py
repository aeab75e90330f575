"""Autoregressive decoding for a speech-to-text style decoder with positional mask arguments."""
import torch
import torch.nn as nn


class TextDecoder(nn.Module):
    def __init__(self, vocab=30, d=32, nhead=4, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.emb = nn.Embedding(vocab, d, padding_idx=pad_id)
        layer = nn.TransformerDecoderLayer(d, nhead, 64, 0.0, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers=2)
        self.proj = nn.Linear(d, vocab)

    def forward(self, tokens, memory):
        T = tokens.size(1)
        causal = torch.triu(torch.ones(T, T, dtype=torch.bool, device=tokens.device), 1)
        tgt_pad = tokens.eq(self.pad_id)
        h = self.decoder(
            self.emb(tokens),
            memory,
            causal,
            tgt_pad,  # expect: ML501
        )
        return self.proj(h)


@torch.no_grad()
def decode(model, memory, bos=1, eos=2, max_len=5):
    ys = torch.full((memory.size(0), 1), bos, dtype=torch.long)
    for _ in range(max_len):
        nxt = model(ys, memory)[:, -1].argmax(-1, keepdim=True)
        ys = torch.cat([ys, nxt], dim=1)
        if (nxt == eos).all():
            break
    return ys


if __name__ == "__main__":
    model = TextDecoder().eval()
    try:
        print(decode(model, torch.randn(2, 7, 32)))
    except Exception as e:
        print(type(e).__name__, str(e)[:120])
