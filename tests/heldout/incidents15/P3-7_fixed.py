import torch
import torch.nn as nn


class Model(nn.Module):
    def __init__(self, ntoken=20, ninp=8, nhead=2, nhid=16, nlayers=1):
        super().__init__()
        self.encoder = nn.Embedding(ntoken, ninp)
        encoder_layers = nn.TransformerEncoderLayer(ninp, nhead, nhid, dropout=0.0)
        self.transformer_encoder = nn.TransformerEncoder(encoder_layers, nlayers, enable_nested_tensor=False)
        self.decoder = nn.Linear(ninp, ntoken)

    def forward(self, src, src_key_padding_mask):
        x = self.encoder(src)  # (S, N, E)
        output = self.transformer_encoder(x, src_key_padding_mask=src_key_padding_mask)
        return self.decoder(output)


def make_batch(sentences):
    seq_len = max(len(s) for s in sentences)
    batch_size = len(sentences)
    src = torch.zeros(seq_len, batch_size, dtype=torch.long)
    src_key_padding_mask = torch.zeros(batch_size, seq_len, dtype=torch.bool)  # BUG
    for i, s in enumerate(sentences):
        src[:len(s), i] = torch.tensor(s)
    return src, src_key_padding_mask


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Model()
    results = []
    for batch in ([[3, 4, 5], [6, 7, 8], [9, 10, 11]], [[5, 6]]):
        src, src_key_padding_mask = make_batch(batch)
        try:
            out = model(src, src_key_padding_mask)
            results.append(f"batch of {len(batch)}: ok {tuple(out.shape)}")
        except (AssertionError, RuntimeError) as e:
            results.append(f"batch of {len(batch)}: {type(e).__name__}: {e}")
    print(" | ".join(results))
