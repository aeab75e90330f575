import torch
import torch.nn as nn

PAD = 0


class IntentClassifier(nn.Module):
    """Inputs follow the (seq_len, batch) layout of torchtext's BucketIterator."""

    def __init__(self, vocab=50, d_model=16, nhead=2, n_classes=3):
        super().__init__()
        self.embedding = nn.Embedding(vocab, d_model, padding_idx=PAD)
        enc_layer = nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward=32, dropout=0.0)
        self.encoder = nn.TransformerEncoder(enc_layer, num_layers=1, enable_nested_tensor=False)
        self.fc = nn.Linear(d_model, n_classes)

    def forward(self, text):
        # text: (S, N)
        src_key_padding_mask = text == PAD  # BUG
        x = self.embedding(text)
        h = self.encoder(x, src_key_padding_mask=src_key_padding_mask)
        keep = (text != PAD).unsqueeze(-1).float()
        return self.fc((h * keep).sum(0) / keep.sum(0))


def run_batch(model, text):
    try:
        return model(text), None
    except (AssertionError, RuntimeError) as err:
        return None, f"{type(err).__name__}: {str(err).splitlines()[0][:70]}"


if __name__ == "__main__":
    torch.manual_seed(0)
    model = IntentClassifier()
    model.train()
    single = torch.tensor([[7], [12]])
    out, err = run_batch(model, single)
    first = err if err else "batch of 1 ok"
    square = torch.tensor([[4, 9, 3], [8, 2, PAD], [5, PAD, PAD]])
    out, err = run_batch(model, square)
    edited = square.clone()
    edited[1, 2], edited[0, 2] = 6, 3
    out2, _ = run_batch(model, edited)
    sens = (out2[1] - out[1]).abs().max().item()
    print(f"{first}; S==N batch: change in sample 1 when sample 2 is edited = {sens:.4f}")
