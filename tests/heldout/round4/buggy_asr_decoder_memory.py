"""Attention-based ASR (encoder-decoder) with nn.TransformerEncoder / nn.TransformerDecoder.

Utterances in a batch have different lengths; features are padded at the end.
"""
import torch
import torch.nn as nn

SOS, EOS, PAD = 1, 2, 0


class SpeechTransformer(nn.Module):
    def __init__(self, n_mels=80, vocab=500, d_model=256, nhead=4, n_enc=12, n_dec=6):
        super().__init__()
        self.front = nn.Sequential(nn.Linear(n_mels, d_model), nn.LayerNorm(d_model), nn.ReLU())
        self.embed = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(3000, d_model)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, 2048, 0.1, batch_first=True)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 2048, 0.1, batch_first=True)
        self.encoder = nn.TransformerEncoder(enc_layer, n_enc)
        self.decoder = nn.TransformerDecoder(dec_layer, n_dec)
        self.out = nn.Linear(d_model, vocab)

    def encode(self, feats, feat_lens):
        T = feats.size(1)
        x = self.front(feats) + self.pos(torch.arange(T, device=feats.device))
        feat_pad = torch.arange(T, device=feats.device)[None, :] >= feat_lens[:, None]
        memory = self.encoder(x, src_key_padding_mask=feat_pad)
        return memory, feat_pad

    def decode(self, ys_in, memory):
        L = ys_in.size(1)
        y = self.embed(ys_in) + self.pos(torch.arange(L, device=ys_in.device))
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=ys_in.device)
        h = self.decoder(  # expect: ML502
            y, memory,
            tgt_mask=causal,
            tgt_key_padding_mask=ys_in.eq(PAD),
            tgt_is_causal=True,
        )
        return self.out(h)

    def forward(self, feats, feat_lens, ys_in):
        memory, _ = self.encode(feats, feat_lens)
        return self.decode(ys_in, memory)

    @torch.no_grad()
    def greedy(self, feats, feat_lens, max_len=200):
        memory, _ = self.encode(feats, feat_lens)
        ys = torch.full((feats.size(0), 1), SOS, dtype=torch.long, device=feats.device)
        for _ in range(max_len):
            nxt = self.decode(ys, memory)[:, -1].argmax(-1, keepdim=True)
            ys = torch.cat([ys, nxt], dim=1)
            if (ys == EOS).any(1).all():
                break
        return ys


def loss_fn(model, feats, feat_lens, ys):
    ys_in, ys_out = ys[:, :-1], ys[:, 1:]
    logits = model(feats, feat_lens, ys_in)
    return nn.functional.cross_entropy(logits.transpose(1, 2), ys_out, ignore_index=PAD, label_smoothing=0.1)
