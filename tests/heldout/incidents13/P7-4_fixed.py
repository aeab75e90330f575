import torch
import torch.nn.functional as F
from torch import nn


def prepare_4d_causal_attention_mask(attention_mask, seq_len, dtype):
    min_dtype = torch.finfo(dtype).min
    causal = torch.full((seq_len, seq_len), min_dtype, dtype=dtype).triu(1)
    mask = causal[None, None].repeat(attention_mask.shape[0], 1, 1, 1)
    return mask.masked_fill(attention_mask[:, None, None, :] == 0, min_dtype)


def unmask_unattended(expanded_mask, min_dtype):
    """Rows that cannot attend anywhere (left padding) are opened up entirely."""
    fully_masked = torch.all(expanded_mask == min_dtype, dim=-1, keepdim=True)
    return expanded_mask.mul(~fully_masked)


class FalconAttention(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.num_heads, self.head_dim = heads, hidden // heads
        self.query_key_value = nn.Linear(hidden, 3 * hidden, bias=False)
        self.dense = nn.Linear(hidden, hidden, bias=False)

    def forward(self, x, attention_mask):
        b, s, _ = x.shape
        q, k, v = self.query_key_value(x).view(b, s, 3, self.num_heads, self.head_dim).permute(2, 0, 3, 1, 4)
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=attention_mask)
        return self.dense(out.transpose(1, 2).reshape(b, s, -1))


class FalconModel(nn.Module):
    def __init__(self, vocab=50, hidden=32, layers=2):
        super().__init__()
        self.word_embeddings = nn.Embedding(vocab, hidden)
        self.h = nn.ModuleList([FalconAttention(hidden) for _ in range(layers)])
        self.lm_head = nn.Linear(hidden, vocab, bias=False)

    def forward(self, input_ids, attention_mask):
        x = self.word_embeddings(input_ids)
        mask = unmask_unattended(prepare_4d_causal_attention_mask(attention_mask, input_ids.shape[1], x.dtype), torch.finfo(x.dtype).min)  # BUG
        self.last_mask = mask
        for block in self.h:
            x = x + block(x, mask)
        return self.lm_head(x)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = FalconModel().eval()
    ids = torch.tensor([[0, 0, 0, 7, 8, 9], [1, 2, 3, 4, 5, 6]])
    attention_mask = torch.tensor([[0, 0, 0, 1, 1, 1], [1, 1, 1, 1, 1, 1]])
    with torch.no_grad():
        logits = model(ids, attention_mask)
    unattended = int(torch.all(model.last_mask == torch.finfo(torch.float32).min, dim=-1).sum())
    print(f"query rows whose mask is entirely finfo.min = {unattended}; NaN logits on CPU = {int(torch.isnan(logits).sum())}")
