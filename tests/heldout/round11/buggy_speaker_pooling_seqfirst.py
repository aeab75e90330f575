"""Speaker-embedding extractor: frame encoder + attentive statistics pooling."""
import torch
import torch.nn as nn
from torch.nn.utils.rnn import pad_sequence


def collate(utterances):
    feats = pad_sequence([u["fbank"] for u in utterances])
    frame_is_pad = pad_sequence([torch.zeros(len(u["fbank"]), dtype=torch.bool) for u in utterances],
                                padding_value=True)
    labels = torch.tensor([u["speaker"] for u in utterances])
    return feats, frame_is_pad, labels


class AttentivePool(nn.Module):
    def __init__(self, dim, heads=4):
        super().__init__()
        self.query = nn.Parameter(torch.randn(1, 1, dim))
        self.attn = nn.MultiheadAttention(dim, heads)

    def forward(self, frames, frame_is_pad):
        q = self.query.expand(1, frames.size(1), -1)
        pooled, _ = self.attn(q, frames, frames, key_padding_mask=frame_is_pad)  # expect: ML304
        return pooled.squeeze(0)


class SpeakerNet(nn.Module):
    def __init__(self, n_mels=40, dim=192, n_speakers=100):
        super().__init__()
        self.frame = nn.GRU(n_mels, dim)
        self.pool = AttentivePool(dim)
        self.embed = nn.Linear(dim, 128)
        self.classifier = nn.Linear(128, n_speakers)

    def forward(self, feats, frame_is_pad):
        frames, _ = self.frame(feats)
        emb = self.embed(self.pool(frames, frame_is_pad))
        return emb, self.classifier(emb)


if __name__ == "__main__":
    utts = [{"fbank": torch.randn(n, 40), "speaker": s} for n, s in [(120, 3), (95, 7), (60, 3)]]
    feats, is_pad, labels = collate(utts)
    emb, logits = SpeakerNet()(feats, is_pad)
    loss = nn.functional.cross_entropy(logits, labels)
    print(emb.shape, loss.item())
