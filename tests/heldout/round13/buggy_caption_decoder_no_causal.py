"""Image captioning: ViT patch features as memory, Transformer decoder over word pieces."""
import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2


class CaptionDecoder(nn.Module):
    def __init__(self, vocab=10000, d_model=256, nhead=8, num_layers=3, max_len=40):
        super().__init__()
        self.word = nn.Embedding(vocab, d_model, padding_idx=PAD)
        self.pos = nn.Embedding(max_len, d_model)
        self.visual = nn.Linear(768, d_model)
        layer = nn.TransformerDecoderLayer(d_model, nhead, 1024, dropout=0.1, batch_first=True, norm_first=True)
        self.decoder = nn.TransformerDecoder(layer, num_layers)
        self.lm = nn.Linear(d_model, vocab)

    def forward(self, patch_feats, caption_in):
        memory = self.visual(patch_feats)
        L = caption_in.size(1)
        tgt = self.word(caption_in) + self.pos(torch.arange(L, device=caption_in.device))
        hidden = self.decoder(tgt, memory,  # expect: ML401
                              tgt_key_padding_mask=caption_in.eq(PAD))
        return self.lm(hidden)

    @torch.no_grad()
    def greedy(self, patch_feats, max_len=20):
        seq = torch.full((patch_feats.size(0), 1), BOS, dtype=torch.long)
        for _ in range(max_len - 1):
            nxt = self.forward(patch_feats, seq)[:, -1].argmax(-1, keepdim=True)
            seq = torch.cat([seq, nxt], dim=1)
        return seq


def caption_loss(model, feats, captions):
    logits = model(feats, captions[:, :-1])
    return nn.functional.cross_entropy(logits.transpose(1, 2), captions[:, 1:], ignore_index=PAD)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = CaptionDecoder()
    feats = torch.randn(4, 197, 768)
    caps = torch.randint(3, 10000, (4, 16))
    caps[:, 0] = BOS
    caps[2, 10:] = PAD
    loss = caption_loss(model, feats, caps)
    loss.backward()
    print("caption xent", round(loss.item(), 4))
    print("greedy", model.eval().greedy(feats[:1], max_len=6).tolist())
