import torch
import torch.nn as nn

from .masks import make_masks


class CodeToDocstring(nn.Module):
    def __init__(self, vocab=800, d_model=64, nhead=4, layers=2, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.embed = nn.Embedding(vocab, d_model, padding_idx=pad_id)
        self.pos = nn.Embedding(256, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, layers, enable_nested_tensor=False)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.lm_head = nn.Linear(d_model, vocab)

    def embed_tokens(self, ids):
        return self.embed(ids) + self.pos.weight[: ids.size(1)]

    def forward(self, src, tgt):
        causal, src_pad, tgt_pad = make_masks(src, tgt, self.pad_id)
        memory = self.encoder(self.embed_tokens(src), src_key_padding_mask=src_pad)
        out = self.decoder(self.embed_tokens(tgt), memory, causal, src_pad, tgt_pad)  # expect: ML501
        return self.lm_head(out)
