"""Lyrics generator trained on packed songs (FlexAttention, document-causal masking)."""
import torch
import torch.nn as nn
from torch.nn.attention.flex_attention import and_masks, create_block_mask, flex_attention


def causal(b, h, q_idx, kv_idx):
    return ~(kv_idx > q_idx)


def same_song(song_ids):
    def mask_mod(b, h, q_idx, kv_idx):
        return song_ids[b, q_idx] == song_ids[b, kv_idx]
    return mask_mod


class LyricsLM(nn.Module):
    def __init__(self, vocab=5000, dim=128, heads=4, depth=2):
        super().__init__()
        self.heads = heads
        self.emb = nn.Embedding(vocab, dim)
        self.qkv = nn.ModuleList(nn.Linear(dim, 3 * dim) for _ in range(depth))
        self.o = nn.ModuleList(nn.Linear(dim, dim) for _ in range(depth))
        self.lm = nn.Linear(dim, vocab)

    def forward(self, tokens, song_ids):
        B, T = tokens.shape
        bm = create_block_mask(and_masks(causal, same_song(song_ids)), B, None, T, T, device=tokens.device)
        x = self.emb(tokens)
        for qkv, o in zip(self.qkv, self.o):
            q, k, v = qkv(x).unflatten(-1, (3, self.heads, -1)).permute(2, 0, 3, 1, 4)
            x = x + o(flex_attention(q, k, v, block_mask=bm).transpose(1, 2).flatten(2))
        return self.lm(x)


if __name__ == "__main__":
    import warnings

    warnings.filterwarnings("ignore", message="flex_attention called without torch.compile")
    torch.manual_seed(0)
    tokens = torch.randint(0, 5000, (2, 256))
    song_ids = torch.cat([torch.zeros(2, 100), torch.ones(2, 90), torch.full((2, 66), 2.0)], 1).long()
    model = LyricsLM().eval()
    with torch.no_grad():
        logits = model(tokens, song_ids)
        loss = nn.functional.cross_entropy(logits[:, :-1].reshape(-1, 5000), tokens[:, 1:].reshape(-1))
    print("val nll", round(loss.item(), 4))
