"""BERT-like encoder layer on SDPA with the Hugging Face extended attention mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def get_extended_attention_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    extended = attention_mask[:, None, None, :].to(dtype=dtype)
    return (1.0 - extended) * torch.finfo(dtype).min


class BertSelfAttention(nn.Module):
    def __init__(self, hidden_size=64, num_attention_heads=4):
        super().__init__()
        self.n = num_attention_heads
        self.query = nn.Linear(hidden_size, hidden_size)
        self.key = nn.Linear(hidden_size, hidden_size)
        self.value = nn.Linear(hidden_size, hidden_size)
        self.output = nn.Linear(hidden_size, hidden_size)

    def forward(self, hidden_states, extended_mask):
        B, T, H = hidden_states.shape
        shape = (B, T, self.n, H // self.n)
        q = self.query(hidden_states).view(shape).transpose(1, 2)
        k = self.key(hidden_states).view(shape).transpose(1, 2)
        v = self.value(hidden_states).view(shape).transpose(1, 2)
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=extended_mask)
        return self.output(ctx.transpose(1, 2).reshape(B, T, H))


class TinyBert(nn.Module):
    def __init__(self, vocab_size=1000, hidden_size=64, heads=4, layers=2):
        super().__init__()
        self.embeddings = nn.Embedding(vocab_size, hidden_size)
        self.layers = nn.ModuleList([BertSelfAttention(hidden_size, heads) for _ in range(layers)])

    def forward(self, input_ids, attention_mask):
        h = self.embeddings(input_ids)
        ext = get_extended_attention_mask(attention_mask, h.dtype)
        for layer in self.layers:
            h = h + layer(h, ext)
        return h


def run(model, tokenizer, texts):
    enc = tokenizer(texts, padding=True, return_tensors="pt")
    return model(enc.input_ids, enc.attention_mask)
