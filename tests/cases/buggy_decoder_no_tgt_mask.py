"""Speech recognizer: conformer-ish encoder, nn.TransformerDecoder without a causal tgt_mask (P4-3).

The encoder sees its padding; the decoder is trained with teacher forcing but its
self-attention is bidirectional, so it learns to copy the next token.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class ASRModel(nn.Module):
    def __init__(self, n_mels=80, vocab_size=5000, d_model=256, nhead=4, pad_id=0, bos_id=1):
        super().__init__()
        self.pad_id, self.bos_id = pad_id, bos_id
        self.frontend = nn.Linear(n_mels, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 1024, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=6)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 1024, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec_layer, num_layers=4)
        self.embed = nn.Embedding(vocab_size, d_model)
        self.out = nn.Linear(d_model, vocab_size)

    def encode(self, feats, feat_lens):
        pad = torch.arange(feats.size(1), device=feats.device)[None, :] >= feat_lens[:, None]
        return self.encoder(self.frontend(feats), src_key_padding_mask=pad), pad

    def decode(self, tokens, memory, memory_pad):
        h = self.decoder(self.embed(tokens), memory, tgt_key_padding_mask=tokens == self.pad_id, memory_key_padding_mask=memory_pad)  # expect: ML401
        return self.out(h)

    def forward(self, feats, feat_lens, tokens):
        memory, memory_pad = self.encode(feats, feat_lens)
        logits = self.decode(tokens[:, :-1], memory, memory_pad)
        return F.cross_entropy(logits.transpose(1, 2), tokens[:, 1:], ignore_index=self.pad_id)

    @torch.no_grad()
    def transcribe(self, feats, feat_lens, max_len=100):
        memory, memory_pad = self.encode(feats, feat_lens)
        ys = torch.full((feats.size(0), 1), self.bos_id, dtype=torch.long, device=feats.device)
        for _ in range(max_len):
            nxt = self.decode(ys, memory, memory_pad)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
        return ys
