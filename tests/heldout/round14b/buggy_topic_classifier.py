import math

import torch
from torch import nn, Tensor
from torch.nn import TransformerEncoder, TransformerEncoderLayer
from torch.nn.utils.rnn import pad_sequence


class PositionalEncoding(nn.Module):
    def __init__(self, d_model: int, dropout: float = 0.1, max_len: int = 5000):
        super().__init__()
        self.dropout = nn.Dropout(p=dropout)
        position = torch.arange(max_len).unsqueeze(1)
        div_term = torch.exp(torch.arange(0, d_model, 2) * (-math.log(10000.0) / d_model))
        pe = torch.zeros(max_len, 1, d_model)
        pe[:, 0, 0::2] = torch.sin(position * div_term)
        pe[:, 0, 1::2] = torch.cos(position * div_term)
        self.register_buffer("pe", pe)

    def forward(self, x: Tensor) -> Tensor:
        """x: [seq_len, batch_size, embedding_dim]"""
        return self.dropout(x + self.pe[: x.size(0)])


class TopicClassifier(nn.Module):
    def __init__(self, ntoken: int, d_model: int = 64, nhead: int = 4, d_hid: int = 128,
                 nlayers: int = 2, nclass: int = 4, dropout: float = 0.1):
        super().__init__()
        self.model_type = "Transformer"
        self.embedding = nn.Embedding(ntoken, d_model, padding_idx=0)
        self.pos_encoder = PositionalEncoding(d_model, dropout)
        encoder_layers = TransformerEncoderLayer(d_model, nhead, d_hid, dropout)
        self.transformer_encoder = TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.d_model = d_model
        self.classifier = nn.Linear(d_model, nclass)

    def forward(self, src: Tensor) -> Tensor:
        """src: [seq_len, batch_size] token ids, 0 = padding"""
        padding = src == 0
        x = self.embedding(src) * math.sqrt(self.d_model)
        x = self.pos_encoder(x)
        output = self.transformer_encoder(x, src_key_padding_mask=padding)  # expect: ML304
        keep = (~padding).unsqueeze(-1).float()
        pooled = (output * keep).sum(0) / keep.sum(0)
        return self.classifier(pooled)


def batchify(sentences, vocab):
    ids = [torch.tensor([vocab.get(w, 1) for w in s.split()]) for s in sentences]
    return pad_sequence(ids, padding_value=0)  # [seq_len, batch]


if __name__ == "__main__":
    torch.manual_seed(0)
    sentences = ["stocks fell sharply on monday", "the striker scored twice",
                 "new phone ships with a faster chip and a bigger battery"]
    vocab = {w: i + 2 for i, w in enumerate(sorted({w for s in sentences for w in s.split()}))}
    model = TopicClassifier(len(vocab) + 2)
    src = batchify(sentences, vocab)
    try:
        logits = model(src)
        print("logits", tuple(logits.shape))
    except (AssertionError, RuntimeError) as err:
        print("forward failed:", err)
