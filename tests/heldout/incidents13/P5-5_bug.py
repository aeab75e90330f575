import numpy as np
import torch


class PointWiseFeedForward(torch.nn.Module):
    def __init__(self, hidden_units):
        super().__init__()
        self.conv1 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)
        self.conv2 = torch.nn.Conv1d(hidden_units, hidden_units, kernel_size=1)

    def forward(self, inputs):
        outputs = self.conv2(torch.relu(self.conv1(inputs.transpose(-1, -2))))
        return outputs.transpose(-1, -2) + inputs


class SASRec(torch.nn.Module):
    def __init__(self, item_num, hidden_units=32, maxlen=8, num_blocks=2, num_heads=2):
        super().__init__()
        self.item_emb = torch.nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(maxlen + 1, hidden_units, padding_idx=0)
        self.attention_layernorms = torch.nn.ModuleList([torch.nn.LayerNorm(hidden_units) for _ in range(num_blocks)])
        self.attention_layers = torch.nn.ModuleList([torch.nn.MultiheadAttention(hidden_units, num_heads) for _ in range(num_blocks)])
        self.forward_layers = torch.nn.ModuleList([PointWiseFeedForward(hidden_units) for _ in range(num_blocks)])
        self.last_layernorm = torch.nn.LayerNorm(hidden_units)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(log_seqs) * self.item_emb.embedding_dim ** 0.5
        poss = np.tile(np.arange(1, log_seqs.shape[1] + 1), [log_seqs.shape[0], 1])
        poss *= (log_seqs.numpy() != 0)
        seqs = seqs + self.pos_emb(torch.LongTensor(poss))
        timeline_mask = log_seqs == 0
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool))
        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            seqs = torch.transpose(Q + mha_outputs, 0, 1)
            seqs = self.forward_layers[i](seqs)
            seqs = seqs * ~timeline_mask.unsqueeze(-1)
        return self.last_layernorm(seqs)

    def predict(self, log_seqs, item_indices):
        final_feat = self.log2feats(log_seqs)[:, -1, :]
        return self.item_emb(item_indices) @ final_feat.unsqueeze(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec(item_num=50).eval()
    history = torch.tensor([[0, 0, 0, 0, 0, 7, 3, 9]])
    other_pad = history.clone()
    candidates = torch.arange(1, 11)
    with torch.no_grad():
        s1 = model.predict(history, candidates).squeeze()
        model.item_emb.weight[0] = torch.randn(32)
        s2 = model.predict(other_pad, candidates).squeeze()
    print(f"candidate scores change when the padding embedding changes = {(s1 - s2).abs().max().item():.4f}; NaN = {int(torch.isnan(s1).sum())}")
