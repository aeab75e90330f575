"""Visual speech recognition: mouth-crop features -> characters."""
import torch
import torch.nn as nn


class LipReader(nn.Module):
    def __init__(self, feat_dim=96, dim=64, vocab=40, pad_id=0):
        super().__init__()
        self.pad_id = pad_id
        self.frontend = nn.Sequential(nn.Linear(feat_dim, dim), nn.ReLU(), nn.Linear(dim, dim))
        self.transformer = nn.Transformer(
            d_model=dim, nhead=4, num_encoder_layers=2, num_decoder_layers=2,
            dim_feedforward=128, dropout=0.0, batch_first=True,
        )
        self.char_emb = nn.Embedding(vocab, dim, padding_idx=pad_id)
        self.classifier = nn.Linear(dim, vocab)

    @staticmethod
    def frame_padding(lengths, max_len):
        steps = torch.arange(max_len, device=lengths.device)
        return steps.unsqueeze(0) >= lengths.unsqueeze(1)

    def forward(self, frames, frame_lens, chars):
        frame_pad = self.frame_padding(frame_lens, frames.size(1))
        char_pad = chars.eq(self.pad_id)
        n = chars.size(1)
        causal = torch.ones(n, n, dtype=torch.bool, device=chars.device).triu(1)
        memory = self.transformer.encoder(self.frontend(frames), src_key_padding_mask=frame_pad)
        out = self.transformer.decoder(self.char_emb(chars), memory, tgt_mask=causal, tgt_key_padding_mask=char_pad)  # expect: ML502
        return self.classifier(out)


if __name__ == "__main__":
    model = LipReader()
    frames = torch.randn(2, 29, 96)
    chars = torch.randint(1, 40, (2, 12))
    print(model(frames, torch.tensor([29, 17]), chars).shape)
