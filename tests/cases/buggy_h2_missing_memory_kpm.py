"""Speech translation with separate encoder/decoder stacks held in a ModuleDict."""
import torch
import torch.nn as nn


class SpeechTranslator(nn.Module):
    def __init__(self, feat_dim=80, vocab=6000, d=256, h=4):
        super().__init__()
        self.blocks = nn.ModuleDict({
            "front": nn.Sequential(nn.Linear(feat_dim, d), nn.ReLU()),
            "enc": nn.TransformerEncoder(nn.TransformerEncoderLayer(d, h, batch_first=True), 6),
            "dec": nn.TransformerDecoder(nn.TransformerDecoderLayer(d, h, batch_first=True), 6),
        })
        self.emb = nn.Embedding(vocab, d)
        self.out = nn.Linear(d, vocab)

    def forward(self, feats, feat_lens, tokens, token_pad):
        S = feats.size(1)
        src_pad = torch.arange(S, device=feats.device).unsqueeze(0) >= feat_lens.unsqueeze(1)
        memory = self.blocks["enc"](self.blocks["front"](feats), src_key_padding_mask=src_pad)
        T = tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T, device=tokens.device, dtype=torch.bool)
        y = self.blocks["dec"](self.emb(tokens), memory, tgt_mask=causal, tgt_key_padding_mask=token_pad)  # expect: ML502
        return self.out(y)
