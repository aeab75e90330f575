"""Decoder LMs on flash-attn that switch causality off (flash_attn takes flags, not masks)."""
import torch
import torch.nn.functional as F
from torch import nn
from flash_attn import flash_attn_func, flash_attn_qkvpacked_func, flash_attn_varlen_func


class FlashGPT(nn.Module):
    def __init__(self, vocab, d=256, h=8):
        super().__init__()
        self.h = h
        self.tok = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, idx, targets=None):
        x = self.tok(idx)
        B, T, D = x.shape
        q, k, v = self.qkv(x).view(B, T, 3, self.h, D // self.h).unbind(2)
        y = flash_attn_func(q, k, v, 0.1, None, False)  # expect: ML401
        logits = self.lm_head(y.reshape(B, T, D))
        if targets is None:
            return logits
        return F.cross_entropy(logits[:, :-1].reshape(-1, logits.size(-1)), targets[:, 1:].reshape(-1))


class PackedCausalLM(nn.Module):
    """qkv-packed attention in a model named like an LM."""

    def __init__(self, vocab, d=128, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(vocab, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, ids):
        x = self.emb(ids)
        B, T, D = x.shape
        qkv = self.qkv(x).view(B, T, 3, self.h, D // self.h)
        return flash_attn_qkvpacked_func(qkv, dropout_p=0.0)  # expect: ML401


class VarlenLanguageModel(nn.Module):
    def __init__(self, d=128, h=4):
        super().__init__()
        self.h = h
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, x, cu_seqlens, max_len):
        q, k, v = self.qkv(x).view(x.size(0), 3, self.h, -1).unbind(1)
        return flash_attn_varlen_func(q, k, v, cu_seqlens, cu_seqlens, max_len, max_len,  # expect: ML401
                                      dropout_p=0.0, causal=False)
