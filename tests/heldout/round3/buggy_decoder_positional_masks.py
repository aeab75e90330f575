"""Image captioning: a CNN grid encoder (fixed 7x7 = 49 memory slots) and an
nn.TransformerDecoder over caption tokens."""
import torch
import torch.nn as nn
import torchvision


class CaptionDecoder(nn.Module):
    def __init__(self, vocab_size, d_model=512, nhead=8, num_layers=4, pad_idx=0, max_len=64):
        super().__init__()
        self.pad_idx = pad_idx
        backbone = torchvision.models.resnet50(weights="IMAGENET1K_V2")
        self.cnn = nn.Sequential(*list(backbone.children())[:-2])
        self.feat_proj = nn.Linear(2048, d_model)
        self.word_emb = nn.Embedding(vocab_size, d_model, padding_idx=pad_idx)
        self.pos_emb = nn.Embedding(max_len, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 4 * d_model, 0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers)
        self.fc = nn.Linear(d_model, vocab_size)
        causal = torch.triu(torch.ones(max_len, max_len, dtype=torch.bool), diagonal=1)
        self.register_buffer("causal", causal, persistent=False)

    def encode(self, images):
        f = self.cnn(images)  # (B, 2048, 7, 7)
        return self.feat_proj(f.flatten(2).transpose(1, 2))  # (B, 49, d_model)

    def forward(self, images, captions):
        memory = self.encode(images)
        T = captions.size(1)
        tgt = self.word_emb(captions) + self.pos_emb(torch.arange(T, device=captions.device))
        tgt_pad = captions == self.pad_idx
        out = self.decoder(
            tgt,
            memory,
            self.causal[:T, :T],
            tgt_pad,  # expect: ML501
        )
        return self.fc(out)

    @torch.no_grad()
    def caption(self, images, bos_idx, eos_idx, max_steps=30):
        memory = self.encode(images)
        seq = torch.full((images.size(0), 1), bos_idx, dtype=torch.long, device=images.device)
        for _ in range(max_steps):
            T = seq.size(1)
            tgt = self.word_emb(seq) + self.pos_emb(torch.arange(T, device=seq.device))
            out = self.decoder(tgt, memory, tgt_mask=self.causal[:T, :T])
            nxt = self.fc(out[:, -1]).argmax(-1, keepdim=True)
            seq = torch.cat([seq, nxt], 1)
            if (nxt == eos_idx).all():
                break
        return seq
