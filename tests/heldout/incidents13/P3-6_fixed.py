import torch
import torch.nn as nn
import torch.nn.functional as F


class SpeakerPoolingAttention(nn.Module):
    """Attention written against the functional API so the projections can be weight-shared."""

    def __init__(self, embed_dim=32, num_heads=4):
        super().__init__()
        self.embed_dim, self.num_heads = embed_dim, num_heads
        self.in_proj_weight = nn.Parameter(torch.empty(3 * embed_dim, embed_dim))
        self.in_proj_bias = nn.Parameter(torch.zeros(3 * embed_dim))
        self.out_proj = nn.Linear(embed_dim, embed_dim)
        nn.init.xavier_uniform_(self.in_proj_weight)

    def forward(self, frames, frame_lens):
        # frames: (T, N, E)
        T, N, _ = frames.shape
        valid = torch.arange(T)[:, None] < frame_lens[None, :]
        key_padding_mask = (~valid).t()  # BUG
        out, _ = F.multi_head_attention_forward(
            frames, frames, frames, self.embed_dim, self.num_heads,
            self.in_proj_weight, self.in_proj_bias, None, None, False, 0.0,
            self.out_proj.weight, self.out_proj.bias,
            training=self.training, key_padding_mask=key_padding_mask, need_weights=False,
        )
        return out


class SpeakerEncoder(nn.Module):
    def __init__(self, n_mels=20, dim=32):
        super().__init__()
        self.frontend = nn.Linear(n_mels, dim)
        self.attn = SpeakerPoolingAttention(dim)
        self.embed = nn.Linear(dim, 16)

    def forward(self, mel, lens):
        x = self.frontend(mel).transpose(0, 1)
        h = self.attn(x, lens).transpose(0, 1)
        keep = (torch.arange(mel.shape[1])[None, :] < lens[:, None]).float()[..., None]
        return self.embed((h * keep).sum(1) / keep.sum(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    model = SpeakerEncoder().eval()
    mel = torch.randn(6, 20, 20)
    lens = torch.tensor([20, 18, 15, 20, 12, 9])
    try:
        with torch.no_grad():
            emb = model(mel, lens)
            mel2 = mel.clone()
            mel2[5, 9:] = torch.randn(11, 20)
            gap = (model(mel2, lens)[5] - emb[5]).abs().max().item()
        print(f"ok; embedding change when padded frames edited = {gap:.4f}")
    except (RuntimeError, AssertionError) as err:
        print(f"{type(err).__name__}: {err}")
