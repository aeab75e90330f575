import torch


def frame_causal_mask(frame_valid, patches_per_frame, num_heads):
    b, t = frame_valid.shape
    token_valid = frame_valid.repeat_interleave(patches_per_frame, dim=1)
    frame_of = torch.arange(t).repeat_interleave(patches_per_frame)
    future = frame_of[None, :] > frame_of[:, None]
    blocked = future[None] | ~token_valid[:, None, :]
    blocked = blocked & ~torch.eye(t * patches_per_frame, dtype=torch.bool)
    return blocked.repeat_interleave(num_heads, dim=0)
