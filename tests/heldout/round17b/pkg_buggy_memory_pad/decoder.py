"""Caption decoder cross-attending to the encoded clip."""
import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=4000, dim=64, heads=4, layers=2, max_words=40):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(max_words, dim)
        layer = nn.TransformerDecoderLayer(dim, heads, 4 * dim, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.out = nn.Linear(dim, vocab)

    def forward(self, words, memory, frame_pad):
        n = words.size(1)
        x = self.emb(words) + self.pos(torch.arange(n, device=words.device))
        causal = nn.Transformer.generate_square_subsequent_mask(n, device=words.device, dtype=torch.bool)
        h = self.decoder(x, memory, tgt_mask=causal, tgt_key_padding_mask=words == PAD)  # expect: ML502
        return self.out(h)


class Captioner(nn.Module):
    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.decoder = decoder

    def forward(self, frames, frame_pad, words):
        memory = self.encoder(frames, frame_pad)
        return self.decoder(words, memory, frame_pad)

    @torch.no_grad()
    def caption(self, frames, frame_pad, max_len=12):
        memory = self.encoder(frames, frame_pad)
        words = torch.full((frames.size(0), 1), BOS, device=frames.device)
        for _ in range(max_len):
            nxt = self.decoder(words, memory, frame_pad)[:, -1].argmax(-1, keepdim=True)
            words = torch.cat([words, nxt], dim=1)
        return words
