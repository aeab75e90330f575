"""Image captioning with variable patch counts (native-aspect-ratio images packed
to the longest patch grid in the batch) and an autoregressive text decoder."""
import torch
import torch.nn as nn

PAD_ID = 0


class PatchEncoder(nn.Module):
    def __init__(self, patch_dim=48, d=32, heads=4):
        super().__init__()
        self.proj = nn.Linear(patch_dim, d)
        self.blocks = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(d, heads, 64, dropout=0.0, batch_first=True, norm_first=True), 2,
            enable_nested_tensor=False)

    def forward(self, patches, patch_pad):
        return self.blocks(self.proj(patches), src_key_padding_mask=patch_pad)


class Captioner(nn.Module):
    def __init__(self, vocab=50, d=32, heads=4):
        super().__init__()
        self.vision = PatchEncoder(d=d, heads=heads)
        self.embed = nn.Embedding(vocab, d, padding_idx=PAD_ID)
        self.pos = nn.Parameter(torch.randn(64, d) * 0.02)
        self.decoder = nn.TransformerDecoder(
            nn.TransformerDecoderLayer(d, heads, 64, dropout=0.0, batch_first=True, norm_first=True), 2)
        self.lm_head = nn.Linear(d, vocab)

    def forward(self, patches, n_patches, captions):
        patch_pad = torch.arange(patches.size(1)) >= n_patches[:, None]
        memory = self.vision(patches, patch_pad)
        text_pad = captions == PAD_ID
        t = captions.size(1)
        h = self.embed(captions) + self.pos[:t]
        causal = torch.triu(torch.ones(t, t, dtype=torch.bool), diagonal=1)
        h = self.decoder(
            h, memory,
            tgt_mask=causal,
            tgt_key_padding_mask=text_pad,
            memory_key_padding_mask=text_pad,  # expect: ML503
        )
        return self.lm_head(h)


if __name__ == "__main__":
    torch.manual_seed(0)
    model = Captioner()
    patches = torch.randn(2, 9, 48)
    n_patches = torch.tensor([9, 6])
    captions = torch.tensor([[5, 6, 7, 8, 9], [5, 6, 7, 0, 0]])
    try:
        logits = model(patches, n_patches, captions)
        print("ran:", logits.shape)
    except (AssertionError, RuntimeError) as e:
        print("failed:", type(e).__name__, str(e)[:120])
    # when the caption happens to be as long as the patch grid it runs silently
    captions9 = torch.tensor([[5, 6, 7, 8, 9, 10, 11, 12, 13], [5, 6, 7, 8, 9, 10, 11, 12, 0]])
    a = model(patches, n_patches, captions9)
    p2 = patches.clone()
    p2[1, 6:] = 10.0  # only sample 1's padded patches change
    b = model(p2, n_patches, captions9)
    print("sample-1 logits moved by padded patches:", (a[1, :8] - b[1, :8]).abs().max().item())
