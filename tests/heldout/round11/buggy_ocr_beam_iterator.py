"""Text-line OCR: conv features over variable-width line images, transformer decoder + beam search."""
import torch
import torch.nn as nn

SOS, EOS, VOCAB = 1, 2, 80


class LineOCR(nn.Module):
    def __init__(self, d=128, heads=4):
        super().__init__()
        self.cnn = nn.Sequential(nn.Conv2d(1, d, (32, 4), stride=(32, 4)), nn.ReLU())
        self.encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, 256), 2,
                                             enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(nn.TransformerDecoderLayer(d, heads, 256), 2)
        self.emb = nn.Embedding(VOCAB, d)
        self.cls = nn.Linear(d, VOCAB)

    def encode(self, lines, widths):
        feats = self.cnn(lines).squeeze(2).permute(2, 0, 1)
        cols = torch.arange(feats.size(0), device=lines.device)
        col_pad = cols[None, :] >= (widths[:, None] // 4)
        return self.encoder(feats, src_key_padding_mask=col_pad), col_pad

    def step(self, prefix, memory):
        tgt = self.emb(prefix).transpose(0, 1)
        causal = nn.Transformer.generate_square_subsequent_mask(tgt.size(0))
        out = self.decoder(tgt, memory, tgt_mask=causal)  # expect: ML502
        return self.cls(out[-1]).log_softmax(-1)


class BeamSearch:
    def __init__(self, model, memory, beam=3, max_len=12):
        self.model, self.memory, self.beam, self.max_len = model, memory, beam, max_len

    def __iter__(self):
        hyps = [(torch.tensor([SOS]), 0.0)]
        for _ in range(self.max_len):
            prefixes = torch.stack([h for h, _ in hyps])
            mem = self.memory.expand(-1, len(hyps), -1)
            logp = self.model.step(prefixes, mem)
            cands = [(torch.cat([h, i.view(1)]), s + lp.item())
                     for (h, s), row in zip(hyps, logp) for lp, i in zip(*row.topk(self.beam))]
            hyps = sorted(cands, key=lambda c: -c[1])[: self.beam]
            yield hyps[0]
            if hyps[0][0][-1].item() == EOS:
                return


if __name__ == "__main__":
    model = LineOCR().eval()
    lines = torch.randn(2, 1, 32, 400)
    lines[1, :, :, 240:] = 0
    with torch.no_grad():
        memory, col_pad = model.encode(lines, torch.tensor([400, 240]))
        for best, score in BeamSearch(model, memory[:, 1:2]):
            pass
    print(best.tolist(), round(score, 3))
