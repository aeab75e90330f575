import numpy as np
import torch


class PointWiseFeedForward(torch.nn.Module):
    def __init__(self, hidden_units, dropout_rate):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout1 = torch.nn.Dropout(p=dropout_rate)
        self.relu = torch.nn.ReLU()
        self.conv2 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.dropout2 = torch.nn.Dropout(p=dropout_rate)

    def forward(self, inputs):
        outputs = self.dropout2(self.conv2(self.relu(self.dropout1(self.conv1(inputs.transpose(-1, -2))))))
        outputs = outputs.transpose(-1, -2)
        return outputs + inputs


class SASRec(torch.nn.Module):
    def __init__(self, user_num, item_num, args):
        super().__init__()
        self.user_num = user_num
        self.item_num = item_num
        self.dev = args["device"]
        self.item_emb = torch.nn.Embedding(self.item_num + 1, args["hidden_units"], padding_idx=0)
        self.pos_emb = torch.nn.Embedding(args["maxlen"] + 1, args["hidden_units"], padding_idx=0)
        self.emb_dropout = torch.nn.Dropout(p=args["dropout_rate"])
        self.attention_layernorms = torch.nn.ModuleList()
        self.attention_layers = torch.nn.ModuleList()
        self.forward_layernorms = torch.nn.ModuleList()
        self.forward_layers = torch.nn.ModuleList()
        self.last_layernorm = torch.nn.LayerNorm(args["hidden_units"], eps=1e-8)
        for _ in range(args["num_blocks"]):
            self.attention_layernorms.append(torch.nn.LayerNorm(args["hidden_units"], eps=1e-8))
            self.attention_layers.append(torch.nn.MultiheadAttention(args["hidden_units"], args["num_heads"], args["dropout_rate"]))
            self.forward_layernorms.append(torch.nn.LayerNorm(args["hidden_units"], eps=1e-8))
            self.forward_layers.append(PointWiseFeedForward(args["hidden_units"], args["dropout_rate"]))

    def log2feats(self, log_seqs):
        seqs = self.item_emb(torch.LongTensor(log_seqs).to(self.dev))
        seqs *= self.item_emb.embedding_dim ** 0.5
        poss = np.tile(np.arange(1, log_seqs.shape[1] + 1), [log_seqs.shape[0], 1])
        poss *= (log_seqs != 0)
        seqs += self.pos_emb(torch.LongTensor(poss).to(self.dev))
        seqs = self.emb_dropout(seqs)
        timeline_mask = torch.BoolTensor(log_seqs == 0).to(self.dev)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool, device=self.dev))
        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            seqs = Q + mha_outputs
            seqs = torch.transpose(seqs, 0, 1)
            seqs = self.forward_layernorms[i](seqs)
            seqs = self.forward_layers[i](seqs)
        return self.last_layernorm(seqs)

    def predict(self, user_ids, log_seqs, item_indices):
        log_feats = self.log2feats(log_seqs)
        final_feat = log_feats[:, -1, :]
        item_embs = self.item_emb(torch.LongTensor(item_indices).to(self.dev))
        return item_embs.matmul(final_feat.unsqueeze(-1)).squeeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    args = {"device": "cpu", "hidden_units": 16, "maxlen": 8, "dropout_rate": 0.0, "num_blocks": 2, "num_heads": 2}
    model = SASRec(user_num=10, item_num=40, args=args).eval()
    seq = np.zeros((1, args["maxlen"]), dtype=np.int64)
    seq[0, -3:] = [7, 19, 23]
    items = np.array([[3, 7, 19, 23, 30]])
    with torch.no_grad():
        a = model.predict(None, seq, items)
        model.item_emb.weight[0].normal_()
        b = model.predict(None, seq, items)
    print(f"scores change when the padding item's embedding row changes: {(a - b).abs().max().item():.3e}")
