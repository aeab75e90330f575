"""SASRec with the original timeline masking: the padded positions are zeroed with a
multiplicative keep mask (not an attention mask) and excluded as keys through a per-sample
3-D mask; a left-pad query may still see itself, so no row is empty."""
import torch
import torch.nn as nn


class SASRec(nn.Module):
    def __init__(self, n_items=500, d=50, heads=2, blocks=2, maxlen=20):
        super().__init__()
        self.item_emb = nn.Embedding(n_items + 1, d, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, d)
        self.heads = heads
        self.attn = nn.ModuleList(nn.MultiheadAttention(d, heads) for _ in range(blocks))
        self.ln = nn.ModuleList(nn.LayerNorm(d) for _ in range(blocks))
        self.last = nn.LayerNorm(d)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb.weight[: log_seqs.size(1)]
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        T = seqs.shape[1]
        causal = ~torch.tril(torch.ones((T, T), dtype=torch.bool))
        pad_keys = timeline_mask[:, None, :] & ~torch.eye(T, dtype=torch.bool)
        attention_mask = (causal[None] | pad_keys).repeat_interleave(self.heads, dim=0)
        for attn, ln in zip(self.attn, self.ln):
            seqs = seqs.transpose(0, 1)
            q = ln(seqs)
            out, _ = attn(q, seqs, seqs, attn_mask=attention_mask)
            seqs = (q + out).transpose(0, 1)
            seqs = seqs * ~timeline_mask.unsqueeze(-1)
        return self.last(seqs)


if __name__ == "__main__":
    torch.manual_seed(0)
    m = SASRec().eval()
    s = torch.randint(1, 500, (2, 20)); s[:, :5] = 0
    with torch.no_grad():
        a = m.log2feats(s)
        s2 = s.clone(); s2[:, 15:] = torch.randint(1, 500, (2, 5))
        print("causal:", torch.allclose(a[:, :15], m.log2feats(s2)[:, :15], atol=1e-5))
