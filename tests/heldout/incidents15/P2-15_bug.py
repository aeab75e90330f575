import math

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    def __init__(self, causal=True, softmax_scale=None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv, causal=None, key_padding_mask=None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / math.sqrt(q.shape[-1])
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = torch.softmax(scores, dim=-1)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, n_embd=16, n_head=2):
        super().__init__()
        self.n_head, self.head_dim = n_head, n_embd // n_head
        self.Wqkv = nn.Linear(n_embd, 3 * n_embd)
        self.out_proj = nn.Linear(n_embd, n_embd)
        self.inner_attn = SelfAttention(causal=True)

    def forward(self, x, past_key_values=None, attention_mask=None, **kwargs):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        if attention_mask is not None and torch.any(~attention_mask.bool()):
            attention_mask = attention_mask  # BUG
        else:
            attention_mask = None
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.reshape(x.shape[0], x.shape[1], -1))


class MixFormerSequentialForCausalLM(nn.Module):
    def __init__(self, vocab_size=40, n_embd=16, n_layer=2):
        super().__init__()
        self.embd = nn.Embedding(vocab_size, n_embd)
        self.layers = nn.ModuleList(MHA(n_embd) for _ in range(n_layer))

    def forward(self, input_ids, past_key_values=None, attention_mask=None, labels=None, **kwargs):
        hidden_layer = self.embd(input_ids)
        for module in self.layers:
            hidden_layer = hidden_layer + module(hidden_layer, past_key_values=past_key_values,
                                                 attention_mask=attention_mask)
        return hidden_layer


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MixFormerSequentialForCausalLM().eval()
    input_ids = torch.tensor([[0, 0, 7, 8, 9], [3, 4, 7, 8, 9]])
    attention_mask = torch.tensor([[0, 0, 1, 1, 1], [1, 1, 1, 1, 1]])
    try:
        with torch.no_grad():
            out = model(input_ids, attention_mask=attention_mask)
            alone = model(input_ids[:1, 2:], attention_mask=attention_mask[:1, 2:])
        print(f"left-padded row vs unpadded run: {(out[0, 2:] - alone[0]).abs().max().item():.4f}")
    except RuntimeError as e:
        print(f"RuntimeError: {e}")
