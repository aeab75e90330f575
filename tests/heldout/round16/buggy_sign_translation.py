"""Sign-language translation: pose keypoints in, spoken-language words out."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F


class PoseEncoder(nn.Module):
    def __init__(self, joints=54, dim=64, layers=2):
        super().__init__()
        self.proj = nn.Linear(joints * 2, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 4 * dim, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, poses, frame_pad):
        x = self.proj(poses.flatten(2))
        return self.enc(x, src_key_padding_mask=frame_pad)


class SignTranslator(nn.Module):
    def __init__(self, vocab=500, dim=64, layers=2, bos=1, pad=0):
        super().__init__()
        self.bos, self.pad = bos, pad
        self.encoder = PoseEncoder(dim=dim)
        self.embed = nn.Embedding(vocab, dim, padding_idx=pad)
        layer = nn.TransformerDecoderLayer(dim, 4, 4 * dim, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, layers)
        self.lm_head = nn.Linear(dim, vocab)
        self.scale = math.sqrt(dim)

    def decode(self, words, memory, frame_pad):
        tgt = self.embed(words) * self.scale
        text_pad = words.eq(self.pad)
        out = self.decoder(tgt, memory, tgt_key_padding_mask=text_pad, memory_key_padding_mask=frame_pad)  # expect: ML401
        return self.lm_head(out)

    def forward(self, poses, frame_pad, words):
        memory = self.encoder(poses, frame_pad)
        logits = self.decode(words[:, :-1], memory, frame_pad)
        return F.cross_entropy(logits.transpose(1, 2), words[:, 1:], ignore_index=self.pad)

    @torch.no_grad()
    def translate(self, poses, frame_pad, max_len=30):
        memory = self.encoder(poses, frame_pad)
        words = torch.full((poses.size(0), 1), self.bos, dtype=torch.long, device=poses.device)
        for _ in range(max_len):
            nxt = self.decode(words, memory, frame_pad)[:, -1].argmax(-1, keepdim=True)
            words = torch.cat([words, nxt], dim=1)
        return words
