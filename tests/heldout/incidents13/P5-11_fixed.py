import torch
import torch.nn.functional as F
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, seq_id):
        b, l, _ = x.shape
        q, k, v = self.layernorm_qkv(x).view(b, l, 3, self.n_heads, self.d_head).permute(2, 0, 3, 1, 4)
        mask_BLL = (seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)) & (seq_id != -1).unsqueeze(-2)  # BUG
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BLL.unsqueeze(1))
        return self.out_proj(context.transpose(1, 2).reshape(b, l, -1))


class ProteinComplexEncoder(nn.Module):
    """Several chains packed in one row; seq_id says which chain a residue belongs to, -1 = pad."""

    def __init__(self, vocab=33, d_model=32, layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([MultiHeadAttention(d_model) for _ in range(layers)])
        self.norm = nn.LayerNorm(d_model)

    def forward(self, tokens, seq_id):
        x = self.embed(tokens)
        for blk in self.blocks:
            x = x + blk(x, seq_id)
        return self.norm(x)


def pack(chains, width, pad_token=1):
    tokens = torch.full((width,), pad_token)
    seq_id = torch.full((width,), -1)
    pos = 0
    for cid, chain in enumerate(chains):
        tokens[pos:pos + len(chain)] = torch.tensor(chain)
        seq_id[pos:pos + len(chain)] = cid
        pos += len(chain)
    return tokens, seq_id


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProteinComplexEncoder().eval()
    t, s = pack([[5, 6, 7, 8], [9, 10, 11]], width=10)
    tokens, seq_id = t[None], s[None]
    real = seq_id[0] != -1
    with torch.no_grad():
        out = model(tokens, seq_id)
        pad_rows = model.blocks[0](model.embed(tokens), seq_id)[0, ~real].abs().max().item()
        model.embed.weight[1] += 3.0
        moved = (model(tokens, seq_id)[0, real] - out[0, real]).abs().max().item()
    print(f"first-block attention output on pad rows: max |.| = {pad_rows:.4f}; real rows moved by pad edit = {moved:.4f}")
