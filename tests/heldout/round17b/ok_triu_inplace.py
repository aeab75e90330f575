"""Text normalisation for TTS: spells out numbers, dates and units ("3 kg" -> "three kilograms")."""
import torch
from torch import nn

PAD, BOS, EOS = 0, 1, 2


class Normaliser(nn.Module):
    def __init__(self, in_vocab=200, out_vocab=400, dim=64, heads=4, layers=2):
        super().__init__()
        self.src = nn.Embedding(in_vocab, dim, padding_idx=PAD)
        self.tgt = nn.Embedding(out_vocab, dim, padding_idx=PAD)
        self.pos = nn.Embedding(128, dim)
        self.core = nn.Transformer(dim, heads, layers, layers, 2 * dim, dropout=0.0, batch_first=True)
        self.out = nn.Linear(dim, out_vocab)
        self.register_buffer("ahead", torch.empty(128, 128), persistent=False)
        self.ahead.copy_(torch.full((128, 128), float("-inf")))
        self.ahead.triu_(1)

    def forward(self, chars, words):
        s, t = chars.size(1), words.size(1)
        src = self.src(chars) + self.pos(torch.arange(s, device=chars.device))
        tgt = self.tgt(words) + self.pos(torch.arange(t, device=words.device))
        src_pad = torch.zeros(chars.shape, device=chars.device).masked_fill(chars == PAD, float("-inf"))
        tgt_pad = torch.zeros(words.shape, device=words.device).masked_fill(words == PAD, float("-inf"))
        h = self.core(src, tgt, tgt_mask=self.ahead[:t, :t],
                      src_key_padding_mask=src_pad, tgt_key_padding_mask=tgt_pad,
                      memory_key_padding_mask=src_pad)
        return self.out(h)


@torch.no_grad()
def spell_out(model, chars, max_len=20):
    model.eval()
    words = torch.full((chars.size(0), 1), BOS)
    for _ in range(max_len):
        nxt = model(chars, words)[:, -1].argmax(-1, keepdim=True)
        words = torch.cat([words, nxt], dim=1)
    return words


if __name__ == "__main__":
    torch.manual_seed(0)
    chars = torch.tensor([[51, 52, 3, 60, 61, 0], [70, 71, 72, 73, 74, 75]])
    print(spell_out(Normaliser(), chars, max_len=6))
