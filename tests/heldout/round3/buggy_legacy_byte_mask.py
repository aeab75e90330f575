"""SASRec-style sequential recommender (self-attentive next-item prediction).
Written against an old torch release, when masks were ByteTensors."""
import numpy as np
import torch
import torch.nn as nn


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.conv2 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout = nn.Dropout(dropout_rate)
        self.relu = nn.ReLU()

    def forward(self, x):
        y = self.dropout(self.conv2(self.relu(self.dropout(self.conv1(x.transpose(-1, -2))))))
        return y.transpose(-1, -2) + x


class SASRec(nn.Module):
    def __init__(self, item_num, hidden_units=64, maxlen=200, num_blocks=2, num_heads=1, dropout_rate=0.2):
        super().__init__()
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden_units)
        self.emb_dropout = nn.Dropout(dropout_rate)
        self.attention_layernorms = nn.ModuleList()
        self.attention_layers = nn.ModuleList()
        self.forward_layernorms = nn.ModuleList()
        self.forward_layers = nn.ModuleList()
        self.last_layernorm = nn.LayerNorm(hidden_units, eps=1e-8)
        for _ in range(num_blocks):
            self.attention_layernorms.append(nn.LayerNorm(hidden_units, eps=1e-8))
            self.attention_layers.append(nn.MultiheadAttention(hidden_units, num_heads, dropout_rate))
            self.forward_layernorms.append(nn.LayerNorm(hidden_units, eps=1e-8))
            self.forward_layers.append(PointWiseFeedForward(hidden_units, dropout_rate))

    def log2feats(self, log_seqs):
        dev = self.pos_emb.weight.device
        log_seqs = torch.as_tensor(np.asarray(log_seqs), dtype=torch.long, device=dev)
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(log_seqs.size(1), device=dev).unsqueeze(0)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions))

        timeline_mask = (log_seqs == 0).to(torch.uint8)  # 1 = padding item
        seqs = seqs * (1 - timeline_mask).unsqueeze(-1)

        tl = seqs.shape[1]
        attention_mask = torch.triu(torch.ones(tl, tl, dtype=torch.uint8, device=dev), diagonal=1)

        for i in range(len(self.attention_layers)):
            seqs = seqs.transpose(0, 1)  # (L, B, E)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](
                Q, seqs, seqs,
                attn_mask=attention_mask,  # expect: ML203
                key_padding_mask=timeline_mask,  # expect: ML203
            )
            seqs = (Q + mha_outputs).transpose(0, 1)
            seqs = self.forward_layers[i](self.forward_layernorms[i](seqs))
            seqs = seqs * (1 - timeline_mask).unsqueeze(-1)
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        dev = feats.device
        pos_embs = self.item_emb(torch.as_tensor(np.asarray(pos_seqs), dtype=torch.long, device=dev))
        neg_embs = self.item_emb(torch.as_tensor(np.asarray(neg_seqs), dtype=torch.long, device=dev))
        return (feats * pos_embs).sum(-1), (feats * neg_embs).sum(-1)

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        item_embs = self.item_emb(torch.as_tensor(np.asarray(item_indices), dtype=torch.long, device=final_feat.device))
        return item_embs.matmul(final_feat.unsqueeze(-1)).squeeze(-1)
