"""Protein language model in the style of Biohub/esm (ESM3-like): several chains can be packed
in one row via `sequence_id`, which becomes a block attention mask for SDPA."""
import torch
import torch.nn as nn
import torch.nn.functional as F

PAD_ID = -1


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.n_heads = n_heads
        self.layernorm_qkv = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 3 * d_model, bias=False))
        self.out_proj = nn.Linear(d_model, d_model, bias=False)
        self.q_ln, self.k_ln = nn.LayerNorm(d_model), nn.LayerNorm(d_model)

    def forward(self, x, seq_id):
        B, L, D = x.shape
        q, k, v = self.layernorm_qkv(x).chunk(3, dim=-1)
        q, k = self.q_ln(q), self.k_ln(k)
        q, k, v = (t.view(B, L, self.n_heads, -1).transpose(1, 2) for t in (q, k, v))
        mask_BLL = seq_id.unsqueeze(-1) == seq_id.unsqueeze(-2)  # BUG
        mask_BHLL = mask_BLL.unsqueeze(1)
        context = F.scaled_dot_product_attention(q, k, v, attn_mask=mask_BHLL)  # BUG
        return self.out_proj(context.transpose(1, 2).reshape(B, L, D))


class UnifiedTransformerBlock(nn.Module):
    def __init__(self, d_model=32, n_heads=4):
        super().__init__()
        self.attn = MultiHeadAttention(d_model, n_heads)
        self.ffn = nn.Sequential(nn.LayerNorm(d_model), nn.Linear(d_model, 2 * d_model), nn.GELU(), nn.Linear(2 * d_model, d_model))

    def forward(self, x, seq_id):
        x = x + self.attn(x, seq_id)
        return x + self.ffn(x)


class ProteinLM(nn.Module):
    def __init__(self, vocab=33, d_model=32, n_layers=2):
        super().__init__()
        self.embed = nn.Embedding(vocab, d_model)
        self.blocks = nn.ModuleList([UnifiedTransformerBlock(d_model) for _ in range(n_layers)])
        self.lm_head = nn.Linear(d_model, vocab)

    def forward(self, tokens, seq_id):
        x = self.embed(tokens)
        for blk in self.blocks:
            x = blk(x, seq_id)
        return self.lm_head(x)


def pack_chains(rows, pad_token=1):
    L = max(sum(len(c) for c in chains) for chains in rows)
    tokens = torch.full((len(rows), L), pad_token)
    seq_id = torch.full((len(rows), L), PAD_ID)
    for i, chains in enumerate(rows):
        pos = 0
        for j, c in enumerate(chains):
            tokens[i, pos: pos + len(c)] = torch.tensor(c)
            seq_id[i, pos: pos + len(c)] = j
            pos += len(c)
    return tokens, seq_id


if __name__ == "__main__":
    torch.manual_seed(0)
    model = ProteinLM()
    tokens, seq_id = pack_chains([[[5, 6, 7, 8], [9, 10, 11]], [[12, 13, 14]]])
    labels = tokens.masked_fill(seq_id == PAD_ID, -100)
    masked = tokens.clone()
    masked[:, 1] = 32
    logits = model(masked, seq_id)
    loss = F.cross_entropy(logits.reshape(-1, 33), labels.reshape(-1), ignore_index=-100)
    loss.backward()
    print("mlm loss", loss.item())
