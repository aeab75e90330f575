"""HF-style integer attention_mask moved with .to(device, dtype=torch.bool) and used as an SDPA keep-mask."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def sdpa_attention_forward(module, query, key, value, attention_mask, dropout=0.0):
    out = F.scaled_dot_product_attention(query, key, value, attn_mask=attention_mask,
                                         dropout_p=dropout if module.training else 0.0)
    return out.transpose(1, 2).contiguous()


class BertLikeLayer(nn.Module):
    def __init__(self, hidden=32, heads=4):
        super().__init__()
        self.heads = heads
        self.qkv = nn.Linear(hidden, 3 * hidden)
        self.dense = nn.Linear(hidden, hidden)

    def forward(self, hidden_states, attention_mask):
        B, T, C = hidden_states.shape
        q, k, v = self.qkv(hidden_states).view(B, T, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        return self.dense(sdpa_attention_forward(self, q, k, v, attention_mask).reshape(B, T, C))


class Encoder(nn.Module):
    def __init__(self, vocab=100, hidden=32):
        super().__init__()
        self.emb = nn.Embedding(vocab, hidden)
        self.layer = BertLikeLayer(hidden)

    def forward(self, input_ids, attention_mask):
        h = self.emb(input_ids)
        mask4d = attention_mask.to(h.device, dtype=torch.bool)[:, None, None, :]
        return self.layer(h, mask4d)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = Encoder()
    ids = torch.tensor([[1, 2, 3, 0], [4, 5, 6, 7]])
    am = torch.tensor([[1, 1, 1, 0], [1, 1, 1, 1]])
    assert torch.allclose(enc(ids, am)[0, :3], enc(ids[:1, :3], am[:1, :3])[0], atol=1e-5)
    print("bool keep mask ok")
