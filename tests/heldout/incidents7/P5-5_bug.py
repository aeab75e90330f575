"""Self-attentive sequential recommender in the style of pmixer/SASRec.pytorch (model.py):
left-padded item histories, seq-first nn.MultiheadAttention blocks, point-wise feed-forward."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class PointWiseFeedForward(nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.conv1 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout1 = nn.Dropout(p=dropout_rate)
        self.relu = nn.ReLU()
        self.conv2 = nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout2 = nn.Dropout(p=dropout_rate)

    def forward(self, inputs):
        outputs = self.dropout2(self.conv2(self.relu(self.dropout1(self.conv1(inputs.transpose(-1, -2))))))
        return outputs.transpose(-1, -2) + inputs


class SASRec(nn.Module):
    def __init__(self, item_num, maxlen=8, hidden_units=32, num_blocks=2, num_heads=2, dropout_rate=0.2):
        super().__init__()
        self.num_heads = num_heads
        self.item_emb = nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = nn.Embedding(maxlen, hidden_units)
        self.emb_dropout = nn.Dropout(p=dropout_rate)
        self.attention_layernorms = nn.ModuleList([nn.LayerNorm(hidden_units, eps=1e-8) for _ in range(num_blocks)])
        self.attention_layers = nn.ModuleList([nn.MultiheadAttention(hidden_units, num_heads, dropout_rate) for _ in range(num_blocks)])
        self.forward_layernorms = nn.ModuleList([nn.LayerNorm(hidden_units, eps=1e-8) for _ in range(num_blocks)])
        self.forward_layers = nn.ModuleList([PointWiseFeedForward(hidden_units, dropout_rate) for _ in range(num_blocks)])
        self.last_layernorm = nn.LayerNorm(hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        seqs = seqs + self.pos_emb(torch.arange(log_seqs.shape[1]))[None]
        seqs = self.emb_dropout(seqs)
        timeline_mask = log_seqs == 0
        seqs = seqs * ~timeline_mask.unsqueeze(-1)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool))
        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            # key_padding_mask=timeline_mask
            seqs = torch.transpose(Q + mha_outputs, 0, 1)
            seqs = self.forward_layers[i](self.forward_layernorms[i](seqs))
            seqs = seqs * ~timeline_mask.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def forward(self, log_seqs, pos_seqs, neg_seqs):
        log_feats = self.log2feats(log_seqs)
        pos_logits = (log_feats * self.item_emb(pos_seqs)).sum(dim=-1)
        neg_logits = (log_feats * self.item_emb(neg_seqs)).sum(dim=-1)
        return pos_logits, neg_logits


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=50)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.98))
    seq = torch.tensor([[0, 0, 0, 4, 9, 13, 2, 7], [0, 0, 0, 0, 0, 0, 21, 22], [1, 2, 3, 4, 5, 6, 7, 8]])
    pos = torch.tensor([[0, 0, 4, 9, 13, 2, 7, 30], [0, 0, 0, 0, 0, 21, 22, 40], [2, 3, 4, 5, 6, 7, 8, 9]])
    neg = torch.randint(1, 51, pos.shape)
    pos_logits, neg_logits = model(seq, pos, neg)
    indices = pos != 0
    loss = F.binary_cross_entropy_with_logits(pos_logits[indices], torch.ones_like(pos_logits[indices]))
    loss = loss + F.binary_cross_entropy_with_logits(neg_logits[indices], torch.zeros_like(neg_logits[indices]))
    opt.zero_grad()
    loss.backward()
    opt.step()
    print("loss", loss.item())
