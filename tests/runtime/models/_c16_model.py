# Verbatim copy of the "## Example" block of /work/main/rules/ML204.md (correct code; ML204 is opt-in). Used by c16.
import torch.nn as nn


class PeptideDecoder(nn.Module):
    def __init__(self, vocab=28, d_model=512, nhead=8, layers=9):
        super().__init__()
        self.aa = nn.Embedding(vocab, d_model, padding_idx=0)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 1024, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)

    def forward(self, tokens, memory):
        tgt_pad = tokens == 0
        tgt_mask = nn.Transformer.generate_square_subsequent_mask(tokens.size(1), device=tokens.device)
        return self.decoder(self.aa(tokens), memory, tgt_mask=tgt_mask, tgt_key_padding_mask=tgt_pad)
