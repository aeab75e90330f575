"""Llama-style eager attention with the 4D additive mask built the way Hugging Face's
AttentionMaskConverter did in 2023 (a causal part and an expanded padding part)."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class AttentionMaskConverter:
    def __init__(self, is_causal=True):
        self.is_causal = is_causal

    @staticmethod
    def _make_causal_mask(bsz, tgt_len, dtype):
        mask = torch.full((tgt_len, tgt_len), torch.finfo(dtype).min, dtype=dtype)
        cond = torch.arange(tgt_len)
        mask.masked_fill_(cond < (cond + 1).view(tgt_len, 1), 0)
        return mask[None, None, :, :].expand(bsz, 1, tgt_len, tgt_len)

    @staticmethod
    def _expand_mask(mask, dtype, tgt_len):
        bsz, src_len = mask.size()
        expanded = mask[:, None, None, :].expand(bsz, 1, tgt_len, src_len).to(dtype)
        inverted = 1.0 - expanded
        return inverted.masked_fill(inverted.to(torch.bool), torch.finfo(dtype).min)

    def to_4d(self, attention_mask_2d, query_length, dtype):
        bsz = attention_mask_2d.shape[0]
        causal_4d_mask = self._make_causal_mask(bsz, query_length, dtype)
        expanded_attn_mask = self._expand_mask(attention_mask_2d, dtype, tgt_len=query_length)
        expanded_4d_mask = expanded_attn_mask.masked_fill(causal_4d_mask.bool(), torch.finfo(dtype).min)
        return expanded_4d_mask


class LlamaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden, bias=False)
        self.o_proj = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        b, s, d = x.shape
        q, k, v = self.qkv(x).view(b, s, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        attn_weights = (q @ k.transpose(2, 3)) / (d // self.heads) ** 0.5
        attn_weights = attn_weights + attention_mask
        attn_weights = F.softmax(attn_weights, dim=-1, dtype=torch.float32).to(q.dtype)
        return self.o_proj((attn_weights @ v).transpose(1, 2).reshape(b, s, d))


class LlamaModel(nn.Module):
    def __init__(self, vocab=100, hidden=32, layers=2):
        super().__init__()
        self.embed_tokens = nn.Embedding(vocab, hidden)
        self.layers = nn.ModuleList([LlamaAttention(hidden) for _ in range(layers)])
        self.norm = nn.RMSNorm(hidden)
        self.lm_head = nn.Linear(hidden, vocab, bias=False)
        self.mask_converter = AttentionMaskConverter(is_causal=True)

    def forward(self, input_ids, attention_mask):
        h = self.embed_tokens(input_ids)
        mask = self.mask_converter.to_4d(attention_mask, input_ids.shape[1], h.dtype)
        for layer in self.layers:
            h = h + layer(h, mask)
        return self.lm_head(self.norm(h))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = LlamaModel()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4)
    input_ids = torch.tensor([[0, 0, 0, 5, 6, 7, 8], [9, 10, 11, 12, 13, 14, 15]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1]])
    labels = input_ids.masked_fill(attention_mask == 0, -100)
    logits = model(input_ids, attention_mask)
    loss = F.cross_entropy(logits[:, :-1].reshape(-1, 100), labels[:, 1:].reshape(-1), ignore_index=-100)
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item(), "mask has -inf:", torch.isinf(model.mask_converter.to_4d(attention_mask, 7, torch.float32)).any().item())
