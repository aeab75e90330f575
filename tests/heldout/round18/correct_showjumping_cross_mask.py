"""Fault predictor for show-jumping rounds.

The course plan is a list of fences (vertical, oxer, triple bar, water, combination
element) with positions and heights; courses differ in fence count and are
padded. Tracking frames of horse and rider attend to the course plan to predict
rails down, refusals and time faults per frame.
"""
import torch
import torch.nn as nn

FENCES = ("<none>", "vertical", "oxer", "triple_bar", "water", "liverpool", "wall", "combo_a", "combo_b", "combo_c")
FAULTS = ("clear", "rail_down", "refusal", "water_foot", "time")


class CoursePlan(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.kind = nn.Embedding(len(FENCES), d, padding_idx=0)
        self.geo = nn.Linear(4, d)  # x, y, height, spread
        self.attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.norm = nn.LayerNorm(d)

    def forward(self, kinds, geo):
        c = self.kind(kinds) + self.geo(geo)
        pad = kinds == 0
        a, _ = self.attn(c, c, c, key_padding_mask=pad, need_weights=False)
        return self.norm(c + a), pad


class RoundFaultModel(nn.Module):
    def __init__(self, d=32, heads=4):
        super().__init__()
        self.course = CoursePlan(d, heads)
        self.frame = nn.Linear(7, d)
        self.frame_attn = nn.MultiheadAttention(d, heads, batch_first=True)
        self.cross = nn.MultiheadAttention(d, heads, batch_first=True)
        self.n1, self.n2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.out = nn.Linear(d, len(FAULTS))

    def forward(self, kinds, geo, frames):
        course, course_pad = self.course(kinds, geo)
        f = self.frame(frames)
        T = f.size(1)
        future = torch.ones(T, T, dtype=torch.bool, device=f.device).triu(1)
        a, _ = self.frame_attn(f, f, f, attn_mask=future, need_weights=False)
        f = self.n1(f + a)
        c, _ = self.cross(f, course, course, key_padding_mask=course_pad, need_weights=False)
        f = self.n2(f + c)
        return self.out(f)


if __name__ == "__main__":
    torch.manual_seed(0)
    kinds = torch.tensor([[1, 2, 3, 4, 7, 8, 1, 0, 0, 0], [1, 2, 2, 5, 6, 7, 8, 9, 3, 1]])
    model = RoundFaultModel()
    print(model(kinds, torch.rand(2, 10, 4), torch.randn(2, 40, 7)).shape)
