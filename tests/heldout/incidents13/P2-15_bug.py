from typing import Optional

import torch
import torch.nn as nn


class SelfAttention(nn.Module):
    """Softmax attention over a fused qkv tensor of shape (batch, seqlen, 3, heads, head_dim)."""

    def __init__(self, causal=True, softmax_scale=None):
        super().__init__()
        self.causal = causal
        self.softmax_scale = softmax_scale

    def forward(self, qkv, causal: Optional[bool] = None, key_padding_mask: Optional[torch.Tensor] = None):
        causal = self.causal if causal is None else causal
        batch_size, seqlen = qkv.shape[0], qkv.shape[1]
        q, k, v = qkv.unbind(dim=2)
        softmax_scale = self.softmax_scale or 1.0 / q.shape[-1] ** 0.5
        scores = torch.einsum("bthd,bshd->bhts", q, k * softmax_scale)
        if key_padding_mask is not None:
            padding_mask = torch.full((batch_size, seqlen), -10000.0, dtype=scores.dtype, device=scores.device)
            padding_mask.masked_fill_(key_padding_mask, 0.0)  # BUG
            scores = scores + padding_mask[:, None, None, :]
        if causal:
            causal_mask = torch.triu(torch.full((seqlen, seqlen), -10000.0, device=scores.device), 1)
            scores = scores + causal_mask.to(dtype=scores.dtype)
        attention = torch.softmax(scores, dim=-1)
        return torch.einsum("bhts,bshd->bthd", attention, v)


class MHA(nn.Module):
    def __init__(self, d_model=32, n_head=4):
        super().__init__()
        self.n_head, self.head_dim = n_head, d_model // n_head
        self.Wqkv = nn.Linear(d_model, 3 * d_model)
        self.inner_attn = SelfAttention(causal=True)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x, attention_mask=None):
        qkv = self.Wqkv(x).view(x.shape[0], x.shape[1], 3, self.n_head, self.head_dim)
        context = self.inner_attn(qkv, key_padding_mask=attention_mask)
        return self.out_proj(context.reshape(x.shape[0], x.shape[1], -1))


class MixFormerSequentialForCausalLM(nn.Module):
    def __init__(self, vocab=51, d_model=32):
        super().__init__()
        self.embd = nn.Embedding(vocab, d_model)
        self.mixer = MHA(d_model)
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, input_ids, attention_mask=None):
        h = self.embd(input_ids)
        h = h + self.mixer(h, attention_mask=attention_mask)
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = MixFormerSequentialForCausalLM().eval()
    input_ids = torch.tensor([[5, 6, 7, 8, 9], [0, 0, 12, 13, 14]])
    attention_mask = torch.tensor([[1, 1, 1, 1, 1], [0, 0, 1, 1, 1]])
    try:
        with torch.no_grad():
            batched = model(input_ids, attention_mask=attention_mask)[1, -1]
            solo = model(input_ids[1:, 2:], attention_mask=attention_mask[1:, 2:])[0, -1]
        print(f"ok; left-padded vs unpadded last logits max diff = {(batched - solo).abs().max().item():.4f}")
    except RuntimeError as err:
        print(f"RuntimeError: {err}")
