import warnings

import torch
import torch.nn as nn


class TokenizerOutput(dict):
    __getattr__ = dict.__getitem__


def toy_tokenize(batch, vocab, max_len):
    ids, masks = [], []
    for sentence in batch:
        toks = [vocab.setdefault(w, len(vocab) + 1) for w in sentence.split()][:max_len]
        ids.append(toks + [0] * (max_len - len(toks)))
        masks.append([1] * len(toks) + [0] * (max_len - len(toks)))
    return TokenizerOutput(input_ids=torch.tensor(ids), attention_mask=torch.tensor(masks))


class TextEncoder(nn.Module):
    def __init__(self, vocab_size=32, d_model=8, nhead=2, num_layers=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, d_model, padding_idx=0)
        layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=16, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers=num_layers)

    def forward(self, input_ids, attention_mask):
        x = self.embedding(input_ids)
        src_key_padding_mask = attention_mask == 0  # BUG
        out = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        lengths = attention_mask.sum(1, keepdim=True)
        return (out * attention_mask.unsqueeze(-1)).sum(1) / lengths


if __name__ == "__main__":
    warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")
    torch.manual_seed(0)
    vocab = {}
    batch = toy_tokenize(["the cat sat down", "a dog"], vocab, max_len=4)
    model = TextEncoder()
    model.eval()
    try:
        with torch.no_grad():
            emb = model(batch.input_ids, batch.attention_mask)
        print(f"ok: pooled embedding norm={emb.norm().item():.4f}")
    except Exception as exc:
        print(f"{type(exc).__name__}: {exc}")
