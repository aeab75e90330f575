"""Pointer-generator summariser step with Luong attention, run under fp16 autocast."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class GlobalAttention(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.linear_in = nn.Linear(dim, dim, bias=False)
        self.linear_out = nn.Linear(2 * dim, dim)

    def forward(self, query, memory_bank, memory_lengths):
        # query (B, D), memory_bank (B, S, D)
        B, S, D = memory_bank.shape
        align = torch.bmm(memory_bank, self.linear_in(query).unsqueeze(2)).squeeze(2)  # (B, S)
        valid = torch.arange(S, device=align.device)[None, :] < memory_lengths[:, None]
        align = align.masked_fill(~valid, -1e18).float()  # BUG: the fill happens before the upcast; under fp16 autocast -1e18 overflows Half and masked_fill raises
        probs = F.softmax(align, dim=-1).to(memory_bank.dtype)
        context = torch.bmm(probs.unsqueeze(1), memory_bank).squeeze(1)
        attn_h = torch.tanh(self.linear_out(torch.cat([context, query], dim=-1)))
        return attn_h, probs


class PointerGeneratorStep(nn.Module):
    def __init__(self, vocab, dim=64):
        super().__init__()
        self.vocab = vocab
        self.emb = nn.Embedding(vocab, dim)
        self.cell = nn.GRUCell(dim, dim)
        self.attn = GlobalAttention(dim)
        self.gen = nn.Linear(dim, vocab)
        self.p_gen = nn.Linear(2 * dim, 1)

    def forward(self, prev_token, state, memory_bank, memory_lengths, src_ids):
        state = self.cell(self.emb(prev_token), state)
        attn_h, copy_probs = self.attn(state, memory_bank, memory_lengths)
        p_gen = torch.sigmoid(self.p_gen(torch.cat([attn_h, state], -1))).float()
        vocab_probs = F.softmax(self.gen(attn_h).float(), dim=-1)
        final = p_gen * vocab_probs
        final = final.scatter_add(1, src_ids, (1 - p_gen) * copy_probs.float())
        return final, state


def decode_step_amp(step: PointerGeneratorStep, *args):
    with torch.autocast("cpu", dtype=torch.float16):
        return step(*args)
