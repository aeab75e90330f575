import torch
from torch import nn
from torch.nn import functional as F


class RelBiasEncoderLayer(nn.Module):
    def __init__(self, d_model, heads, max_rel=16):
        super().__init__()
        self.heads, self.max_rel = heads, max_rel
        self.qkv = nn.Linear(d_model, 3 * d_model, bias=False)
        self.o = nn.Linear(d_model, d_model, bias=False)
        self.rel = nn.Embedding(2 * max_rel + 1, heads)
        self.norm = nn.RMSNorm(d_model)

    def forward(self, h, ext_mask):
        b, n, d = h.shape
        q, k, v = self.qkv(self.norm(h)).view(b, n, 3, self.heads, -1).permute(2, 0, 3, 1, 4)
        pos = torch.arange(n, device=h.device)
        rel = (pos[None, :] - pos[:, None]).clamp(-self.max_rel, self.max_rel) + self.max_rel
        position_bias = self.rel(rel).permute(2, 0, 1)[None]
        out = F.scaled_dot_product_attention(q, k, v, attn_mask=position_bias + ext_mask)
        return h + self.o(out.transpose(1, 2).reshape(b, n, d))


class RelBiasEncoder(nn.Module):
    def __init__(self, vocab=800, d_model=64, heads=4, layers=2, pad_token_id=0):
        super().__init__()
        self.pad_token_id = pad_token_id
        self.embed = nn.Embedding(vocab, d_model)
        self.layers = nn.ModuleList(RelBiasEncoderLayer(d_model, heads) for _ in range(layers))

    def forward(self, input_ids, attention_mask=None):
        if attention_mask is None:
            attention_mask = input_ids.ne(self.pad_token_id).long()
        dtype = self.embed.weight.dtype
        ext = (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min
        h = self.embed(input_ids)
        for layer in self.layers:
            h = layer(h, ext)
        return h


if __name__ == "__main__":
    print(RelBiasEncoder()(torch.tensor([[5, 6, 7, 0, 0], [3, 4, 5, 6, 7]])).shape)
