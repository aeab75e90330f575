"""Receipt field extraction; tensors are (seq_len, batch) like fairseq."""
import torch
import torch.nn as nn


class ReceiptTagger(nn.Module):
    def __init__(self, vocab=3000, dim=64, labels=9, pad_id=1):
        super().__init__()
        self.pad_id = pad_id
        self.words = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.x = nn.Embedding(1001, dim)
        self.y = nn.Embedding(1001, dim)
        layer = nn.TransformerEncoderLayer(dim, 4, 2 * dim, dropout=0.0)
        self.encoder = nn.TransformerEncoder(layer, num_layers=2, enable_nested_tensor=False)
        self.classifier = nn.Linear(dim, labels)

    def forward(self, tokens, boxes):
        # tokens: (S, N); boxes: (S, N, 4)
        pad = tokens.eq(self.pad_id).transpose(0, 1)
        x0, y0, x1, y1 = boxes.unbind(-1)
        h = self.words(tokens) + self.x(x0) + self.y(y0) + self.x(x1) + self.y(y1)
        seq_len = h.size(0)
        h = self.encoder(h, src_key_padding_mask=pad)
        assert h.size(0) == seq_len
        return self.classifier(h)


if __name__ == "__main__":
    seq_len, batch = 30, 4
    tokens = torch.randint(2, 3000, (seq_len, batch))
    tokens[21:, 2] = 1
    boxes = torch.randint(0, 1001, (seq_len, batch, 4))
    boxes[21:, 2] = 0
    print(ReceiptTagger()(tokens, boxes).shape)
