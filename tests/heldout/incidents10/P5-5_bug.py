"""SASRec.pytorch model.py style: left-padded item sequences (item 0 = pad),
causal nn.MultiheadAttention blocks."""
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
    def __init__(self, item_num=30, hidden_units=16, maxlen=6, num_blocks=2, num_heads=2):
        super().__init__()
        self.item_emb = torch.nn.Embedding(item_num + 1, hidden_units, padding_idx=0)
        self.pos_emb = torch.nn.Embedding(maxlen + 1, hidden_units, padding_idx=0)
        self.attention_layernorms = torch.nn.ModuleList()
        self.attention_layers = torch.nn.ModuleList()
        self.forward_layers = torch.nn.ModuleList()
        for _ in range(num_blocks):
            self.attention_layernorms.append(torch.nn.LayerNorm(hidden_units, eps=1e-8))
            self.attention_layers.append(torch.nn.MultiheadAttention(hidden_units, num_heads))
            self.forward_layers.append(PointWiseFeedForward(hidden_units))
        self.last_layernorm = torch.nn.LayerNorm(hidden_units, eps=1e-8)

    def log2feats(self, log_seqs):
        seqs = self.item_emb(torch.LongTensor(log_seqs)) * self.item_emb.embedding_dim ** 0.5
        poss = np.tile(np.arange(1, log_seqs.shape[1] + 1), [log_seqs.shape[0], 1])
        poss *= log_seqs != 0
        seqs = seqs + self.pos_emb(torch.LongTensor(poss))
        timeline_mask = torch.BoolTensor(log_seqs == 0)
        tl = seqs.shape[1]
        attention_mask = ~torch.tril(torch.ones((tl, tl), dtype=torch.bool))
        for i in range(len(self.attention_layers)):
            seqs = torch.transpose(seqs, 0, 1)
            Q = self.attention_layernorms[i](seqs)
            mha_outputs, _ = self.attention_layers[i](Q, seqs, seqs, attn_mask=attention_mask)  # BUG
            # key_padding_mask=timeline_mask  # BUG
            seqs = torch.transpose(Q + mha_outputs, 0, 1)
            seqs = self.forward_layers[i](seqs)
        return self.last_layernorm(seqs)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SASRec()
    captured = {}

    def hook(mod, args, kwargs, out):
        if "w" not in captured:
            captured["w"] = None
            kw = dict(kwargs, need_weights=True)
            with torch.no_grad():
                captured["w"] = mod(*args, **kw)[1]

    model.attention_layers[0].register_forward_hook(hook, with_kwargs=True)
    log_seqs = np.array([[0, 0, 3, 7, 9, 4]])
    with torch.no_grad():
        model.log2feats(log_seqs)
    w = captured["w"][0]  # (L, S)
    print("attention weight from real items onto pad keys:", w[2:, :2].sum(-1).max().item())
