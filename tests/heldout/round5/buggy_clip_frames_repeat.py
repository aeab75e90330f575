"""Video-text retrieval: sentence tokens cross-attend to frame features; videos have
different numbers of sampled frames, so each (text, video) pair gets its own mask."""
import torch
import torch.nn as nn


class CrossFrameFusion(nn.Module):
    def __init__(self, width=512, n_head=8):
        super().__init__()
        self.n_head = n_head
        self.attn = nn.MultiheadAttention(width, n_head)
        self.ln_q, self.ln_kv = nn.LayerNorm(width), nn.LayerNorm(width)

    def build_attention_mask(self, text_valid, frame_valid):
        # (B, Lt, Lf) True where query token or key frame is padding
        pair_ok = text_valid.unsqueeze(2) & frame_valid.unsqueeze(1)
        pair_ok[..., 0] = True  # every query may see frame 0 so no row is empty
        return ~pair_ok

    def forward(self, text, frames, text_valid, frame_valid):
        # text: (Lt, B, W), frames: (Lf, B, W): sequence-first, as in the CLIP code base
        attn_mask = self.build_attention_mask(text_valid, frame_valid)
        attn_mask = attn_mask.repeat(self.n_head, 1, 1)
        out, _ = self.attn(
            self.ln_q(text),
            self.ln_kv(frames),
            self.ln_kv(frames),
            attn_mask=attn_mask,  # expect: ML302
        )
        return text + out


if __name__ == "__main__":
    torch.manual_seed(0)
    fuse = CrossFrameFusion(64, 4).eval()
    tv = torch.ones(2, 5, dtype=torch.bool)
    fv = torch.tensor([[1] * 8, [1] * 3 + [0] * 5], dtype=torch.bool)
    text, frames = torch.randn(5, 2, 64), torch.randn(8, 2, 64)
    with torch.no_grad():
        a = fuse(text, frames, tv, fv)
        frames2 = frames.clone()
        frames2[6, 1] = torch.randn(64)  # perturb a padded frame of sample 1
        b = fuse(text, frames2, tv, fv)
    print("sample 1 sees its padded frame:", not torch.allclose(a[:, 1], b[:, 1]))
