"""SASRec-style next-item recommender over left-padded interaction histories,
written in the classic time-major MultiheadAttention idiom."""
import numpy as np
import torch
import torch.nn as nn


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden, dropout):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden, hidden, 1)
        self.conv2 = nn.Conv1d(hidden, hidden, 1)
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        y = self.conv2(self.drop(torch.relu(self.conv1(x.transpose(-1, -2)))))
        return x + y.transpose(-1, -2)


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=8, hidden=32, heads=2, blocks=2, dropout=0.0):
        super().__init__()
        self.item_emb = nn.Embedding(item_num + 1, hidden, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen + 1, hidden, padding_idx=0)
        self.attention_layernorms = nn.ModuleList()
        self.attention_layers = nn.ModuleList()
        self.forward_layernorms = nn.ModuleList()
        self.forward_layers = nn.ModuleList()
        for _ in range(blocks):
            self.attention_layernorms.append(nn.LayerNorm(hidden, eps=1e-8))
            self.attention_layers.append(nn.MultiheadAttention(hidden, heads, dropout))
            self.forward_layernorms.append(nn.LayerNorm(hidden, eps=1e-8))
            self.forward_layers.append(PointWiseFeedForward(hidden, dropout))
        self.last_layernorm = nn.LayerNorm(hidden, eps=1e-8)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        poss = np.tile(np.arange(1, log_seqs.shape[1] + 1), [log_seqs.shape[0], 1])
        poss *= (log_seqs.numpy() != 0)
        seqs = seqs + self.pos_emb(torch.as_tensor(poss))
        pad = log_seqs == 0
        seqs = seqs * ~pad.unsqueeze(-1)
        pad_bias = torch.zeros(pad.shape).masked_fill(pad, float("-inf"))

        tl = seqs.shape[1]
        attention_mask = torch.triu(torch.ones((tl, tl)), diagonal=1)

        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](
                Q, seqs, seqs,
                key_padding_mask=pad_bias,
                attn_mask=attention_mask,  # expect: ML202
                need_weights=False,
            )
            seqs = torch.transpose(Q + mha_outputs, 0, 1)
            seqs = self.forward_layers[i](self.forward_layernorms[i](seqs))
            seqs = seqs * ~pad.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        return self.item_emb(item_indices) @ final_feat.unsqueeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=20).eval()
    hist = torch.tensor([[0, 0, 0, 4, 7, 2, 9, 11]])
    changed = hist.clone()
    changed[0, -1] = 15  # the last interaction only
    with torch.no_grad():
        a = model.log2feats(hist)
        b = model.log2feats(changed)
    leak = (a[0, 3:-1] - b[0, 3:-1]).abs().max().item()
    print("earlier positions moved by the last item:", leak)
    assert leak > 1e-3
