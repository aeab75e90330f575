import torch
import torch.nn as nn


class SequenceTagger(nn.Module):
    def __init__(self, vocab_size=50, d_model=16, nhead=2, num_tags=5):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=0)
        encoder_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32)
        self.encoder = nn.TransformerEncoder(encoder_layer, num_layers=2)
        self.tagger = nn.Linear(d_model, num_tags)

    def forward(self, tokens):
        # tokens: (seq_len, batch)
        x = self.embedding(tokens)
        pad_mask = torch.zeros(x.size(0), x.size(1), dtype=torch.bool)  # BUG
        pad_mask[tokens == 0] = True  # BUG
        h = self.encoder(x, src_key_padding_mask=pad_mask)
        return self.tagger(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SequenceTagger()
    tokens = torch.randint(1, 50, (7, 3))
    tokens[5:, 1] = 0
    print(model(tokens).shape)
