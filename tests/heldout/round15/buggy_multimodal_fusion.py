"""Audio-visual fusion for event tagging: text queries attend over audio + video tokens.

Some clips lack a modality (silent video, audio-only upload); each sample carries a query-by-key
availability mask so that a query about sound never reads a missing audio stream.
"""
from dataclasses import dataclass

import torch
from torch import nn


@dataclass
class FusionInputs:
    queries: torch.Tensor    # (B, Q, D) prompt-token embeddings
    audio: torch.Tensor      # (B, A, D)
    video: torch.Tensor      # (B, V, D)
    has_audio: torch.Tensor  # (B,) bool
    has_video: torch.Tensor  # (B,) bool
    query_kind: torch.Tensor  # (B, Q) 0 = generic, 1 = audio question, 2 = visual question


def availability_mask(inp: FusionInputs) -> torch.Tensor:
    """(B, Q, A+V) bool, True = blocked."""
    A, V = inp.audio.size(1), inp.video.size(1)
    key_is_audio = torch.cat([torch.ones(A, dtype=torch.bool), torch.zeros(V, dtype=torch.bool)])
    audio_missing = ~inp.has_audio[:, None, None] & key_is_audio
    video_missing = ~inp.has_video[:, None, None] & ~key_is_audio
    off_topic = ((inp.query_kind == 1)[..., None] & ~key_is_audio) | ((inp.query_kind == 2)[..., None] & key_is_audio)
    blocked = audio_missing | video_missing | off_topic
    return blocked & ~blocked.all(-1, keepdim=True)  # never leave a query with nothing to read


class FusionHead(nn.Module):
    def __init__(self, dim=64, heads=4, n_tags=20):
        super().__init__()
        self.mod_emb = nn.Embedding(2, dim)
        self.xattn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.tagger = nn.Linear(dim, n_tags)

    def forward(self, inp: FusionInputs):
        kv = torch.cat([inp.audio + self.mod_emb.weight[0], inp.video + self.mod_emb.weight[1]], 1)
        fused, _ = self.xattn(inp.queries, kv, kv, attn_mask=availability_mask(inp))  # expect: ML301
        return self.tagger(fused.mean(1))


if __name__ == "__main__":
    torch.manual_seed(0)
    B, D = 3, 64
    inp = FusionInputs(
        torch.randn(B, 4, D), torch.randn(B, 6, D), torch.randn(B, 8, D),
        torch.tensor([True, False, True]), torch.tensor([True, True, False]), torch.randint(0, 3, (B, 4)),
    )
    try:
        print("tags", FusionHead()(inp).shape)
    except RuntimeError as err:
        print("forward failed:", err)
