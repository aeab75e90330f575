"""Flow edge cases: a loop that breaks, augmented assignment, a lambda mask_mod, an unpacked
tokenizer mask, and the seq-first functional MHA."""
import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.attention.flex_attention import create_block_mask, flex_attention

PAD = 0
embed = nn.Embedding(1000, 64)
encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(64, 4, batch_first=True), num_layers=2)

for batch in [{"input_ids": torch.randint(0, 1000, (2, 8))}]:
    tokens = batch["input_ids"]
    keep = tokens != PAD  # True at real tokens
    break

out = encoder(embed(tokens), src_key_padding_mask=keep)  # expect: ML101


def scores_plus_equals(q, k, v):
    T = q.size(-2)
    scores = q @ k.transpose(-2, -1)
    scores += torch.triu(torch.ones(T, T), diagonal=1)  # expect: ML202
    return scores.softmax(-1) @ v


def and_equals(q, k, v):
    T = q.size(-2)
    keep = torch.tril(torch.ones(T, T, dtype=torch.bool))
    keep &= torch.ones(T, T, dtype=torch.bool)
    return F.scaled_dot_product_attention(q, k, v, attn_mask=~keep)  # expect: ML102


def lambda_mask_mod(q, k, v):
    T = q.size(-2)
    bm = create_block_mask(lambda b, h, q_idx, kv_idx: q_idx <= kv_idx, None, None, T, T)  # expect: ML102
    return flex_attention(q, k, v, block_mask=bm)


def unpacked(batch):
    input_ids, attention_mask = batch
    return encoder(embed(input_ids), src_key_padding_mask=attention_mask)  # expect: ML101, ML203


class SeqFirstFunctional(nn.Module):
    def __init__(self, d=64, h=4):
        super().__init__()
        self.d, self.h = d, h
        self.emb = nn.Embedding(100, d)
        self.in_proj_weight = nn.Parameter(torch.empty(3 * d, d))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * d))
        self.out_proj = nn.Linear(d, d)

    def forward(self, tokens):  # tokens: (S, N)
        x = self.emb(tokens)
        pad = tokens == PAD  # (S, N)
        out, _ = F.multi_head_attention_forward(
            x, x, x, self.d, self.h, self.in_proj_weight, self.in_proj_bias, None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias, key_padding_mask=pad)  # expect: ML304
        return out
