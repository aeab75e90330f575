"""Batched generation with a Hugging Face tokenizer set to pad on the left, through an attention
that takes the attention mask and runs SDPA with only its causal flag: every prompt attends to the
pads before it."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from transformers import AutoTokenizer


class CausalOnlyAttention(nn.Module):
    def __init__(self, d=32, h=4):
        super().__init__()
        self.h = h
        self.emb = nn.Embedding(50257, d)
        self.qkv = nn.Linear(d, 3 * d)

    def forward(self, input_ids, attention_mask=None):
        x = self.emb(input_ids)
        b, t, d = x.shape
        q, k, v = self.qkv(x).view(b, t, 3, self.h, -1).permute(2, 0, 3, 1, 4)
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)


def generate(prompts):
    tok = AutoTokenizer.from_pretrained("gpt2")
    tok.pad_token = tok.eos_token
    tok.padding_side = "left"
    enc = tok(prompts, return_tensors="pt", padding=True)
    return CausalOnlyAttention()(enc["input_ids"], attention_mask=enc["attention_mask"])  # expect: ML504
