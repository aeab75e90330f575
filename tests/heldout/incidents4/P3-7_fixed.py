import torch
import torch.nn as nn

D_MODEL = 32
NHEAD = 4
PAD_ID = 0

encoder_layer = nn.TransformerEncoderLayer(D_MODEL, NHEAD, dim_feedforward=64, dropout=0.0)
encoder = nn.TransformerEncoder(encoder_layer, num_layers=2, enable_nested_tensor=False)
embedding = nn.Embedding(100, D_MODEL, padding_idx=PAD_ID)


def make_batches(num_batches=4):
    torch.manual_seed(0)
    for i in range(num_batches):
        batch_size = 1 if i == 0 else 3 + i
        seq_len = 2 if i == 0 else 7
        lengths = torch.randint(1, seq_len + 1, (batch_size,))
        tokens = torch.randint(1, 100, (seq_len, batch_size))
        for b, n in enumerate(lengths.tolist()):
            tokens[n:, b] = PAD_ID
        yield tokens, lengths


def encode(tokens, lengths):
    seq_len, batch_size = tokens.shape
    src = embedding(tokens)
    src_key_padding_mask = torch.zeros(batch_size, seq_len, dtype=torch.bool)
    for b, n in enumerate(lengths.tolist()):
        src_key_padding_mask[b, n:] = True
    return encoder(src, src_key_padding_mask=src_key_padding_mask)


if __name__ == "__main__":
    encoder.eval()
    with torch.no_grad():
        for step, (tokens, lengths) in enumerate(make_batches()):
            memory = encode(tokens, lengths)
            keep = (tokens != PAD_ID).unsqueeze(-1).float()
            sentence = (memory * keep).sum(0) / keep.sum(0)
            print(f"batch {step}: tokens {tuple(tokens.shape)} -> sentence vectors {tuple(sentence.shape)}")
