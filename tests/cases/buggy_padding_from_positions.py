"""Padding masks built from positions up to x.size(d) belong to x: used on the wrong side, or
raw where a per-sample layout is needed."""
import torch
import torch.nn.functional as F
from torch import nn


def lengths_to_padding(lengths, max_len):
    return torch.arange(max_len, device=lengths.device).unsqueeze(0) >= lengths.unsqueeze(1)


class SpeechTranslator(nn.Module):
    def __init__(self, d=64, vocab=100):
        super().__init__()
        self.transformer = nn.Transformer(d, 4, 2, 2, batch_first=True)
        self.embed = nn.Embedding(vocab, d)

    def forward(self, frames, frame_lens, tokens, token_lens):
        src_pad = lengths_to_padding(frame_lens, frames.shape[1])
        tgt_pad = lengths_to_padding(token_lens, tokens.shape[1])
        T = tokens.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(T)
        return self.transformer(frames, self.embed(tokens), tgt_mask=causal,
                                src_key_padding_mask=src_pad,
                                tgt_key_padding_mask=tgt_pad,
                                memory_key_padding_mask=tgt_pad)  # expect: ML503


def pool_frames(q, k, v, num_frames):
    N, H, L, E = q.shape
    valid = torch.arange(L, device=q.device)[None, :] < num_frames[:, None]  # (N, S)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=valid)  # expect: ML301
