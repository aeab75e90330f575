"""SASRec sequential recommender (config-driven), causal self-attention over item history."""
from dataclasses import dataclass

import torch
import torch.nn as nn


@dataclass
class SASRecArgs:
    item_num: int = 100
    hidden_units: int = 32
    maxlen: int = 10
    num_blocks: int = 2
    num_heads: int = 2
    dropout_rate: float = 0.0


class SASRec(nn.Module):
    def __init__(self, args: SASRecArgs):
        super().__init__()
        self.args = args
        self.item_emb = nn.Embedding(args.item_num + 1, args.hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(args.maxlen, args.hidden_units)
        self.attention_layernorms = nn.ModuleList(nn.LayerNorm(args.hidden_units) for _ in range(args.num_blocks))
        self.attention_layers = nn.ModuleList(
            nn.MultiheadAttention(args.hidden_units, args.num_heads, args.dropout_rate)
            for _ in range(args.num_blocks))
        self.last_layernorm = nn.LayerNorm(args.hidden_units)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(log_seqs.shape[1]))
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool))
        for ln, attn in zip(self.attention_layernorms, self.attention_layers):
            seqs = seqs.transpose(0, 1)
            Q = ln(seqs)
            mha_outputs, _ = attn(Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            # key_padding_mask=timeline_mask
            seqs = (Q + mha_outputs).transpose(0, 1)
            seqs = seqs * ~timeline_mask.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        return (self.item_emb(item_indices) * final_feat.unsqueeze(1)).sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    args = SASRecArgs()
    model = SASRec(args).eval()
    seqs = torch.tensor([[0, 0, 0, 0, 0, 3, 4, 5, 6, 7], [0, 0, 0, 0, 0, 8, 9, 10, 11, 12]])
    with torch.no_grad():
        print(model.predict(seqs, torch.tensor([[1, 2, 3], [4, 5, 6]])).shape)
