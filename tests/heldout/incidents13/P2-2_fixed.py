import torch
import torch.nn as nn


class SentenceEncoder(nn.Module):
    def __init__(self, vocab=100, d_model=32, nhead=4, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d_model)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=64, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)

    def forward(self, tokens, lengths):
        n, s = tokens.shape
        key_padding_mask = torch.ones(n, s)
        for i, length in enumerate(lengths):
            key_padding_mask[i, length:] = 0.0
        hidden = self.encoder(self.embedding(tokens), src_key_padding_mask=key_padding_mask == 0.0)  # BUG
        return hidden


def mean_pool(hidden, lengths):
    keep = torch.arange(hidden.shape[1])[None, :] < torch.as_tensor(lengths)[:, None]
    return (hidden * keep[..., None]).sum(1) / keep.sum(1, keepdim=True)


if __name__ == "__main__":
    torch.manual_seed(0)
    enc = SentenceEncoder()
    tokens = torch.randint(1, 100, (2, 6))
    lengths = [6, 5]
    enc.train()
    h_train = enc(tokens, lengths)
    swapped = tokens.clone()
    swapped[1, 5] = (swapped[1, 5] + 11) % 100
    pad_effect = (mean_pool(enc(swapped, lengths), lengths) - mean_pool(h_train, lengths))[1].abs().max().item()
    enc.eval()
    with torch.no_grad():
        h_eval = enc(tokens, lengths)
    drift = (h_eval - h_train.detach())[:, :5].abs().max().item()
    print(f"train: pooled change from editing pad token = {pad_effect:.4f}; train vs eval (fast path) max diff = {drift:.4f}")
