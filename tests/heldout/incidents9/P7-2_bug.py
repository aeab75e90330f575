import torch
import torch.nn as nn


def collate(utterances, pad_value=0.0):
    """utterances: list of (frames, feat_dim) tensors -> (N, S, F) batch and key padding mask."""
    lengths = torch.tensor([u.size(0) for u in utterances])  # BUG
    max_len = max(int(lengths.max()), 1)
    batch = torch.full((len(utterances), max_len, utterances[0].size(1)), pad_value)
    for i, u in enumerate(utterances):
        batch[i, : u.size(0)] = u
    src_key_padding_mask = torch.arange(max_len)[None, :] >= lengths[:, None]  # BUG
    return batch, src_key_padding_mask


class UtteranceEncoder(nn.Module):
    def __init__(self, feat_dim=8, nhead=2, num_layers=2):
        super().__init__()
        layer = nn.TransformerEncoderLayer(feat_dim, nhead, dim_feedforward=32, dropout=0.0, batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, num_layers, enable_nested_tensor=False)
        self.classifier = nn.Linear(feat_dim, 4)

    def forward(self, batch, src_key_padding_mask):
        h = self.encoder(batch, src_key_padding_mask=src_key_padding_mask)
        return self.classifier(h[:, 0])


if __name__ == "__main__":
    torch.manual_seed(0)
    model = UtteranceEncoder().eval()
    # a VAD step occasionally leaves an utterance with no voiced frames
    utterances = [torch.randn(6, 8), torch.randn(0, 8), torch.randn(3, 8)]
    batch, kpm = collate(utterances)
    with torch.no_grad():
        logits = model(batch, kpm)
    print(logits.shape)
    print("nan in logits:", torch.isnan(logits).any().item())
