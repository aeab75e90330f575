"""Cross-modal block configured by a yaml-style nested dict."""
import torch
import torch.nn as nn

CONFIG = {
    "model": {
        "hidden": 64,
        "n_heads": 4,
        "fusion": {"dropout": 0.0, "use_padding": True},
    }
}


class FusionBlock(nn.Module):
    def __init__(self, cfg=CONFIG):
        super().__init__()
        mcfg = cfg["model"]
        self.n_heads = mcfg["n_heads"]
        self.use_padding = mcfg["fusion"].get("use_padding", True)
        self.cross = nn.MultiheadAttention(
            mcfg["hidden"], self.n_heads, dropout=mcfg["fusion"]["dropout"], batch_first=True
        )

    def build_mask(self, text_len, video_mask):
        # video_mask: (N, S) bool, True = padded frame
        N, S = video_mask.shape
        m = video_mask[:, None, :].expand(N, text_len, S)
        return m.repeat(self.n_heads, 1, 1)

    def forward(self, text, video, video_mask):
        mask = self.build_mask(text.size(1), video_mask) if self.use_padding else None
        out, _ = self.cross(
            text, video, video,
            attn_mask=mask,  # expect: ML302
        )
        return out


if __name__ == "__main__":
    torch.manual_seed(0)
    blk = FusionBlock().eval()
    text, video = torch.randn(2, 3, 64), torch.randn(2, 5, 64)
    vm = torch.tensor([[False] * 5, [False, False, True, True, True]])
    a = blk(text, video, vm)
    ref = blk(text[:1], video[:1], vm[:1])
    print("sample 0 depends on its neighbour's padding:", (a[:1] - ref).abs().max().item() > 1e-4)
