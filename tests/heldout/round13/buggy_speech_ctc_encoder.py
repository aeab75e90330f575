"""CTC phoneme recogniser: conv subsampling + Transformer encoder.

Batches come from a Hugging Face feature extractor, so they carry
``input_features`` (N, T, n_mels) and ``attention_mask`` (N, T) with 1 = real frame.
"""
import torch
import torch.nn as nn


class ConvSubsample(nn.Module):
    def __init__(self, n_mels: int, d_model: int):
        super().__init__()
        self.conv = nn.Sequential(
            nn.Conv1d(n_mels, d_model, 3, stride=2, padding=1), nn.GELU(),
            nn.Conv1d(d_model, d_model, 3, stride=2, padding=1), nn.GELU(),
        )

    def forward(self, feats, frame_mask):
        x = self.conv(feats.transpose(1, 2)).transpose(1, 2)
        # two stride-2 convs: keep every 4th entry of the frame mask
        return x, frame_mask[:, ::4][:, : x.size(1)]


class CTCEncoder(nn.Module):
    def __init__(self, n_mels=80, d_model=144, n_heads=4, n_layers=4, vocab=72, dropout=0.1):
        super().__init__()
        self.subsample = ConvSubsample(n_mels, d_model)
        layer = nn.TransformerEncoderLayer(d_model, n_heads, 4 * d_model, dropout=dropout,
                                           batch_first=True, norm_first=True)
        self.encoder = nn.TransformerEncoder(layer, n_layers, enable_nested_tensor=False)
        self.head = nn.Linear(d_model, vocab)

    def forward(self, batch):
        x, frames = self.subsample(batch["input_features"], batch["attention_mask"])
        enc_kwargs = {"src_key_padding_mask": frames.bool()}
        h = self.encoder(x, **enc_kwargs)  # expect: ML101
        return self.head(h).log_softmax(-1), frames.sum(-1)


if __name__ == "__main__":
    torch.manual_seed(0)
    lens = torch.tensor([200, 160, 96])
    feats = torch.randn(3, 200, 80)
    attn = (torch.arange(200)[None] < lens[:, None]).long()
    model = CTCEncoder()
    logp, out_lens = model({"input_features": feats, "attention_mask": attn})
    targets = torch.randint(1, 72, (3, 20))
    loss = nn.functional.ctc_loss(logp.transpose(0, 1), targets, out_lens, torch.full((3,), 20))
    print("ctc loss", loss.item())
