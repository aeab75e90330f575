"""Continuous sign-language recognition: pose keypoint frames -> gloss sequence.

Frames come from a pose estimator (2 hands x 21 joints + 25 body joints, x/y);
clips differ in length and are right-padded. Glosses are decoded left to right.
"""
import torch
import torch.nn as nn

PAD, BOS, EOS = 0, 1, 2
N_JOINTS = 67


class PoseEncoder(nn.Module):
    def __init__(self, d_model, nhead, layers):
        super().__init__()
        self.frame_proj = nn.Sequential(nn.Linear(N_JOINTS * 2, d_model), nn.ReLU(), nn.Linear(d_model, d_model))
        layer = nn.TransformerEncoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, layers, enable_nested_tensor=False)

    def forward(self, frames, frame_pad):
        return self.enc(self.frame_proj(frames), src_key_padding_mask=frame_pad)


class GlossRecognizer(nn.Module):
    def __init__(self, n_gloss=300, d_model=64, nhead=4, layers=2):
        super().__init__()
        self.encoder = PoseEncoder(d_model, nhead, layers)
        self.gloss_emb = nn.Embedding(n_gloss, d_model, padding_idx=PAD)
        self.gloss_pos = nn.Embedding(128, d_model)
        dec_layer = nn.TransformerDecoderLayer(d_model, nhead, 2 * d_model, dropout=0.1, batch_first=True)
        self.decoder = nn.TransformerDecoder(dec_layer, layers)
        self.classifier = nn.Linear(d_model, n_gloss)

    def embed_glosses(self, gloss_in):
        pos = torch.arange(gloss_in.size(1), device=gloss_in.device)
        return self.gloss_emb(gloss_in) + self.gloss_pos(pos)

    def forward(self, frames, frame_pad, gloss_in):
        memory = self.encoder(frames, frame_pad)
        L = gloss_in.size(1)
        causal = nn.Transformer.generate_square_subsequent_mask(L, device=frames.device)
        tgt = self.embed_glosses(gloss_in)
        h = self.decoder(tgt, memory, tgt_mask=causal, tgt_key_padding_mask=gloss_in.eq(PAD))  # BUG: cross-attention reads padded pose frames (no memory_key_padding_mask)
        return self.classifier(h)

    @torch.no_grad()
    def greedy_decode(self, frames, frame_pad, max_len=20):
        memory = self.encoder(frames, frame_pad)
        out = torch.full((frames.size(0), 1), BOS, dtype=torch.long, device=frames.device)
        for _ in range(max_len):
            t = out.size(1)
            step_mask = torch.tril(torch.ones(t, t, device=frames.device)).bool()
            h = self.decoder(self.embed_glosses(out), memory, tgt_mask=step_mask, memory_key_padding_mask=frame_pad)  # BUG: lower-triangular keep mask passed as tgt_mask
            nxt = self.classifier(h[:, -1]).argmax(-1, keepdim=True)
            out = torch.cat([out, nxt], dim=1)
            if (nxt == EOS).all():
                break
        return out[:, 1:]


def collate(clips, gloss_seqs):
    T = max(c.size(0) for c in clips)
    frames = torch.zeros(len(clips), T, N_JOINTS * 2)
    frame_pad = torch.ones(len(clips), T, dtype=torch.bool)
    for i, c in enumerate(clips):
        frames[i, : c.size(0)] = c
        frame_pad[i, : c.size(0)] = False
    G = max(len(g) for g in gloss_seqs) + 1
    gloss_in = torch.full((len(clips), G), PAD, dtype=torch.long)
    gloss_out = torch.full((len(clips), G), PAD, dtype=torch.long)
    for i, g in enumerate(gloss_seqs):
        gloss_in[i, : len(g) + 1] = torch.tensor([BOS] + g)
        gloss_out[i, : len(g) + 1] = torch.tensor(g + [EOS])
    return frames, frame_pad, gloss_in, gloss_out


if __name__ == "__main__":
    torch.manual_seed(0)
    clips = [torch.randn(n, N_JOINTS * 2) for n in (40, 25, 33)]
    glosses = [[5, 17, 42], [8, 9], [100, 101, 102, 103]]
    frames, frame_pad, gin, gout = collate(clips, glosses)
    model = GlossRecognizer()
    logits = model(frames, frame_pad, gin)
    loss = nn.functional.cross_entropy(logits.transpose(1, 2), gout, ignore_index=PAD)
    loss.backward()
    model.eval()
    print(float(loss), model.greedy_decode(frames, frame_pad, max_len=5).shape)
