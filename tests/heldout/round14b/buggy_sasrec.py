"""Self-attentive sequential recommendation (SASRec-style), left-padded item histories."""
import numpy as np
import torch
from torch import nn


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout1 = nn.Dropout(dropout_rate)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout2 = nn.Dropout(dropout_rate)

    def forward(self, inputs):
        outputs = self.dropout2(self.conv2(self.relu(self.dropout1(self.conv1(inputs.transpose(-1, -2))))))
        return outputs.transpose(-1, -2) + inputs


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=50, hidden_units=64, num_heads=2, num_blocks=2, dropout_rate=0.2):
        super().__init__()
        self.item_num = item_num
        self.num_heads = num_heads
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen + 1, hidden_units, padding_idx=0)
        self.emb_dropout = nn.Dropout(dropout_rate)
        self.attention_layernorms = nn.ModuleList()
        self.attention_layers = nn.ModuleList()
        self.forward_layernorms = nn.ModuleList()
        self.forward_layers = nn.ModuleList()
        for _ in range(num_blocks):
            self.attention_layernorms.append(nn.LayerNorm(hidden_units, eps=1e-8))
            self.attention_layers.append(
                nn.MultiheadAttention(hidden_units, num_heads, dropout_rate, batch_first=True))
            self.forward_layernorms.append(nn.LayerNorm(hidden_units, eps=1e-8))
            self.forward_layers.append(PointWiseFeedForward(hidden_units, dropout_rate))
        self.last_layernorm = nn.LayerNorm(hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        positions = torch.arange(1, log_seqs.size(1) + 1, device=log_seqs.device).expand_as(log_seqs)
        positions = positions * (log_seqs != 0)
        seqs = self.emb_dropout(seqs + self.pos_emb(positions))
        timeline = log_seqs != 0
        seqs = seqs * timeline.unsqueeze(-1)

        tl = seqs.shape[1]
        attention_mask = torch.tril(torch.ones((tl, tl), dtype=torch.bool, device=seqs.device))
        visible = torch.logical_and(attention_mask.unsqueeze(0), timeline.unsqueeze(1))
        visible = torch.logical_or(visible, torch.eye(tl, dtype=torch.bool, device=seqs.device))
        visible = visible.repeat_interleave(self.num_heads, dim=0)

        for i in range(len(self.attention_layers)):
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, attn_mask=visible)  # expect: ML101
            seqs = Q + mha_outputs
            seqs = self.forward_layers[i](self.forward_layernorms[i](seqs))
            seqs = seqs * timeline.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        feats = self.log2feats(log_seqs)
        pos_logits = (feats * self.item_emb(pos_seqs)).sum(dim=-1)
        neg_logits = (feats * self.item_emb(neg_seqs)).sum(dim=-1)
        return pos_logits, neg_logits

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        return self.item_emb(item_indices) @ final_feat.unsqueeze(-1)


def left_pad(histories, maxlen):
    out = np.zeros((len(histories), maxlen), dtype=np.int64)
    for row, hist in enumerate(histories):
        hist = hist[-maxlen:]
        out[row, maxlen - len(hist):] = hist
    return torch.from_numpy(out)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=100, maxlen=10).eval()
    seqs = left_pad([[5, 17, 3, 42], [8, 9, 10, 11, 12, 13, 14, 15, 16, 17]], maxlen=10)
    with torch.no_grad():
        scores = model.predict(seqs, torch.arange(1, 21))
    print("scores", tuple(scores.shape), "nan:", bool(torch.isnan(scores).any()))
