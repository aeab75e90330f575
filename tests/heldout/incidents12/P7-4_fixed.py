import torch
import torch.nn.functional as F
from torch import nn


def _prepare_4d_causal_attention_mask(attention_mask, input_shape, dtype):
    bsz, tgt_len = input_shape
    min_value = torch.finfo(dtype).min
    causal = torch.full((tgt_len, tgt_len), min_value, dtype=dtype).triu(1)
    mask = causal[None, None].expand(bsz, 1, tgt_len, tgt_len).clone()
    return mask.masked_fill(attention_mask[:, None, None, :] == 0, min_value)


def _unmask_unattended(expanded_mask, min_dtype):
    return expanded_mask.mul(~torch.all(expanded_mask == min_dtype, dim=-1, keepdim=True))


class FalconSdpaAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.query_key_value = nn.Linear(hidden, 3 * hidden, bias=False)
        self.dense = nn.Linear(hidden, hidden, bias=False)

    def forward(self, hidden_states, attention_mask):
        b, n, d = hidden_states.shape
        q, k, v = self.query_key_value(hidden_states).view(b, n, 3, self.heads, d // self.heads).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.dense(out.transpose(1, 2).reshape(b, n, d))


class FalconModel(nn.Module):
    def __init__(self, vocab=50, hidden=32):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.h = nn.ModuleList([FalconSdpaAttention(hidden) for _ in range(2)])

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids)
        mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, x.dtype)
        mask = _unmask_unattended(mask, torch.finfo(x.dtype).min)
        for layer in self.h:
            x = x + layer(x, mask)
        return x


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FalconModel().eval()
    input_ids = torch.tensor([[0, 0, 0, 7, 9, 11], [3, 5, 8, 13, 21, 34]])
    attention_mask = (input_ids != 0).long()
    mask = _prepare_4d_causal_attention_mask(attention_mask, input_ids.shape, torch.float32)
    with torch.no_grad():
        out = model(input_ids, attention_mask)
    rows = int(torch.all(mask == torch.finfo(torch.float32).min, dim=-1).sum())
    print(f"fully masked query rows: {rows}; NaN outputs on this backend: {int(torch.isnan(out).sum())}; pad-row max |out| {out[0, :3].abs().max().item():.3f}")
